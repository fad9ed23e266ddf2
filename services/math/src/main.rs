//! `math-service`: the math service alone, on port 3002 (`FLOWFORGE_LISTEN` to change).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_math::NAME,
        flowforge_math::PORT,
        flowforge_math::service,
    )
}
