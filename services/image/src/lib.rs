//! FlowForge image service (`/api/v1/image/…`, port 3005): resize (Sharp's fit modes, gravity
//! and smart positions, kernels), crop, extend, trim, rotate, flip, flop, colour and tone
//! adjustments, text and image watermarks, conversion to JPEG, PNG, WebP, AVIF, GIF, TIFF, BMP and
//! ICO, metadata with EXIF and GPS, pipelines, and BlurHash/ThumbHash placeholders. Hostile files
//! are refused from their headers (pixel limits) before any pixel is decoded.

use std::time::Duration;

use flowforge_kit::binary::FetchPolicy;
use flowforge_kit::config::var;
use flowforge_kit::{ConfigError, Context, RouteLimits, Service};

pub mod api;
pub mod decode;
pub mod encode;
pub mod meta;
pub mod ops;

/// The service name (and path segment).
pub const NAME: &str = "image";
/// The port when run alone.
pub const PORT: u16 = 3005;
/// The largest upload (MiB) by default.
pub const MAX_UPLOAD_MB: u64 = 50;

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let env = ctx.env.as_ref();
    let max_mb: u64 = var(
        env,
        "IMAGE_MAX_INPUT_MB",
        MAX_UPLOAD_MB,
        "a whole number of MiB",
    )?;
    let timeout_s: u64 = var(env, "IMAGE_TIMEOUT_SECS", 30, "a whole number of seconds")?;
    let state = api::ImageState {
        cpu: ctx.cpu.clone(),
        max_body: (max_mb as usize) << 20,
        limits: decode::Limits {
            max_pixels: var(
                env,
                "IMAGE_MAX_PIXELS",
                100_000_000,
                "a whole number of pixels",
            )?,
            max_output_pixels: var(
                env,
                "IMAGE_MAX_OUTPUT_PIXELS",
                100_000_000,
                "a whole number of pixels",
            )?,
        },
        max_operations: var(env, "IMAGE_MAX_OPERATIONS", 32, "a whole number of steps")?,
        fetch: FetchPolicy {
            allow_private: var(env, "IMAGE_FETCH_ALLOW_PRIVATE", false, "true or false")?,
            timeout: Duration::from_secs(var(
                env,
                "IMAGE_FETCH_TIMEOUT_SECS",
                20,
                "a whole number of seconds",
            )?),
            max_redirects: 5,
        },
    };
    let (router, openapi) = api::router(state);
    let mut svc = Service::new(NAME, router, openapi);
    for route in [
        "/api/v1/image/resize",
        "/api/v1/image/crop",
        "/api/v1/image/extend",
        "/api/v1/image/trim",
        "/api/v1/image/rotate",
        "/api/v1/image/flip",
        "/api/v1/image/flop",
        "/api/v1/image/adjust",
        "/api/v1/image/watermark",
        "/api/v1/image/convert",
        "/api/v1/image/pipeline",
        "/api/v1/image/metadata",
        "/api/v1/image/placeholder",
    ] {
        svc = svc.limit(
            route,
            RouteLimits {
                // JSON carries the file as base64: a third larger.
                body: Some((max_mb << 20) * 4 / 3 + (1 << 20)),
                timeout: Some(Duration::from_secs(timeout_s)),
            },
        );
    }
    Ok(svc)
}
