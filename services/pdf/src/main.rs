//! `pdf-service`: the PDF service alone, on port 3003 (`FLOWFORGE_LISTEN` to change).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // The service runs PDFium in children of its own program: `pdf-service pdf-worker`.
    if std::env::args().nth(1).as_deref() == Some(flowforge_pdf::worker::WORKER_ARG) {
        return flowforge_pdf::worker::worker_main();
    }
    flowforge_kit::run_single(
        flowforge_pdf::NAME,
        flowforge_pdf::PORT,
        flowforge_pdf::service,
    )
}
