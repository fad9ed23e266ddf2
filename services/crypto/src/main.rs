//! `crypto-service`: the crypto service alone, on port 3001 (`FLOWFORGE_LISTEN` to change).

// The same allocator as `flowforge` (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_crypto::NAME,
        flowforge_crypto::PORT,
        flowforge_crypto::service,
    )
}
