//! FlowForge PDF service (`/api/v1/pdf/…`, port 3003): generation with Typst (built-in invoice,
//! receipt, report and letter templates filled with JSON, your own Typst, Markdown, images),
//! watermarks, stamps, page numbers, headers and footers (Typst overlays), n-up, merge (bookmarks
//! kept, one per file on request), split (ranges, every N pages, at bookmarks; a ZIP), pages (extract, reorder,
//! duplicate, delete, rotate), rendering to images and text with coordinates (PDFium in
//! worker processes), metadata, forms (list, fill with appearances, flatten), attached
//! files, compression, AES-256 encryption and
//! decryption, and information (pages, sizes, text layers, form fields, attachments). Hostile files are refused with a 4xx:
//! damaged or truncated files, page-tree loops, `/Count` lies, decompression bombs, too many
//! pages.

use flowforge_kit::{ConfigError, Context, Descriptor, Service};

pub mod attachments;
pub mod browser;
pub mod compress;
pub mod config;
pub mod document;
pub mod error;
pub mod forms;
#[cfg(feature = "generate")]
pub mod generate;
pub mod geometry;
pub mod handlers;
pub mod images;
pub mod info;
#[cfg(feature = "generate")]
pub mod markdown;
pub mod merge;
pub mod meta;
pub mod nup;
pub mod outline;
#[cfg(feature = "generate")]
pub mod overlay;
pub mod pages;
pub mod render;
pub mod routes;
pub mod secure;
pub mod select;
pub mod split;
pub mod text;
#[cfg(feature = "generate")]
pub mod typeset;
pub mod worker;

/// The service name (and path segment).
pub const NAME: &str = "pdf";
/// The port when run alone.
pub const PORT: u16 = 3003;
/// The largest upload (MiB) by default.
pub const MAX_UPLOAD_MB: u64 = 100;

/// The service as the registry knows it.
pub const DESCRIPTOR: Descriptor = Descriptor {
    name: NAME,
    port: PORT,
    summary: "generate (templates, Typst, Markdown, images), merge, split, pages, n-up, watermark, stamp, page numbers, headers and footers, render, text, metadata, forms, attachments, compress, encrypt, decrypt, information",
    // Base64 in JSON is a third larger than the files.
    max_upload_mb: MAX_UPLOAD_MB * 4 / 3 + 1,
    vars: config::VARS,
    build: service,
};

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let config = config::Config::from_env(ctx.env.as_ref())?;
    let command = match &config.worker_bin {
        Some(bin) => (bin.into(), vec![worker::WORKER_ARG.to_string()]),
        None => (
            std::env::current_exe().unwrap_or_else(|_| "pdf-service".into()),
            vec![worker::WORKER_ARG.to_string()],
        ),
    };
    let workers = std::sync::Arc::new(
        worker::Pool::new(
            command,
            config.models_dir.clone(),
            config.workers,
            config.worker_memory_mb,
            // A little under the route's own limit, so the worker's message (which names what to do) is
            // the one a client sees.
            config.timeout.mul_f64(0.9),
        )
        .with_fonts_dir(config.fonts_dir.clone()),
    );
    #[cfg(feature = "generate")]
    typeset::use_fonts_dir(config.fonts_dir.clone());
    match config.browser.program.as_deref() {
        Some(p) => {
            tracing::info!(program = %p.display(), "HTML to PDF: Chromium found (started on first need)")
        }
        None => tracing::info!(
            "HTML to PDF: no Chromium found (install Debian's `chromium` or set CHROMIUM_PATH); `html` and `url` answer 503"
        ),
    }
    let browser = std::sync::Arc::new(browser::Chromium::new(config.browser.clone()));
    Ok(routes::service(handlers::PdfState {
        cpu: ctx.cpu.clone(),
        config,
        workers,
        browser,
    }))
}
