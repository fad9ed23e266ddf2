//! FlowForge image service (`/api/v1/image/…`, port 3005): resize (Sharp's fit modes, gravity
//! and smart positions, kernels), crop, extend, trim, rotate, flip, flop, colour and tone
//! adjustments, text and image watermarks, conversion to JPEG, PNG, WebP, AVIF, GIF, TIFF, BMP and
//! ICO, metadata with EXIF and GPS, pipelines, and BlurHash/ThumbHash placeholders. Hostile files
//! are refused from their headers (pixel limits) before any pixel is decoded.

use flowforge_kit::{ConfigError, Context, Descriptor, Service};

pub mod config;
pub mod decode;
pub mod encode;
pub mod error;
pub mod handlers;
pub mod meta;
pub mod ops;
pub mod routes;

/// The service name (and path segment).
pub const NAME: &str = "image";
/// The port when run alone.
pub const PORT: u16 = 3005;
/// The largest upload (MiB) by default.
pub const MAX_UPLOAD_MB: u64 = 50;

/// The service as the registry knows it.
pub const DESCRIPTOR: Descriptor = Descriptor {
    name: NAME,
    port: PORT,
    summary: "resize, crop, rotate, adjust, watermark, convert (JPEG, PNG, WebP, AVIF…), metadata, pipelines, placeholders",
    // Base64 in JSON is a third larger than the file.
    max_upload_mb: MAX_UPLOAD_MB * 4 / 3 + 1,
    vars: config::VARS,
    build: service,
};

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let config = config::Config::from_env(ctx.env.as_ref())?;
    Ok(routes::service(handlers::ImageState {
        cpu: ctx.cpu.clone(),
        config,
    }))
}
