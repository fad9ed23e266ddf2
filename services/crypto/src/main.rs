//! `crypto-service`: the crypto service alone, on port 3001 (`FLOWFORGE_LISTEN` to change).

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_crypto::NAME,
        flowforge_crypto::PORT,
        flowforge_crypto::service,
    )
}
