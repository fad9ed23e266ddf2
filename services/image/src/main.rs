//! `image-service`: the image service alone, on port 3005 (`FLOWFORGE_LISTEN` to change).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_image::NAME,
        flowforge_image::PORT,
        flowforge_image::service,
    )
}
