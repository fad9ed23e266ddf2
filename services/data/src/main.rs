//! `data-service`: the data-transform service alone, on port 3008 (`FLOWFORGE_LISTEN` to change).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_data::NAME,
        flowforge_data::PORT,
        flowforge_data::service,
    )
}
