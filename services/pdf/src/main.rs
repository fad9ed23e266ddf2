//! `pdf-service`: the PDF service alone, on port 3003 (`FLOWFORGE_LISTEN` to change).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowforge_kit::run_single(
        flowforge_pdf::NAME,
        flowforge_pdf::PORT,
        flowforge_pdf::service,
    )
}
