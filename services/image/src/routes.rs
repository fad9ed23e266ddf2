//! The route table: every route with its OpenAPI entry (through `utoipa-axum`, so a route cannot
//! exist undocumented) and, beside it, its own limits.

use std::sync::Arc;

use flowforge_kit::{RouteLimits, Routes, Service};
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::handlers::{
    ImageState, adjust, convert, crop, extend, flip, flop, metadata, pipeline, placeholder, resize,
    rotate, trim, watermark,
};

#[derive(OpenApi)]
#[openapi(tags((name = "image", description = "Resize, crop, rotate, adjust, watermark, convert, metadata, pipelines, placeholders")))]
struct ImageApi;

/// The service: its routes, documents and limits, with `state` applied.
pub fn service(state: ImageState) -> Service {
    // Every route takes a whole image: IMAGE_MAX_INPUT_MB, a third more when it comes as base64
    // in JSON, for up to IMAGE_TIMEOUT_SECS.
    let image = RouteLimits {
        body: Some((state.config.max_body as u64) * 4 / 3 + (1 << 20)),
        timeout: Some(state.config.timeout),
    };
    Routes::new(crate::NAME, ImageApi::openapi())
        // Geometry.
        .route_with(image, routes!(resize::resize))
        .route_with(image, routes!(crop::crop))
        .route_with(image, routes!(extend::extend))
        .route_with(image, routes!(trim::trim))
        .route_with(image, routes!(rotate::rotate))
        .route_with(image, routes!(flip::flip))
        .route_with(image, routes!(flop::flop))
        // Colour and overlays.
        .route_with(image, routes!(adjust::adjust))
        .route_with(image, routes!(watermark::watermark))
        // Formats, several steps at once.
        .route_with(image, routes!(convert::convert))
        .route_with(image, routes!(pipeline::pipeline))
        // What an image holds.
        .route_with(image, routes!(metadata::metadata))
        .route_with(image, routes!(placeholder::placeholder))
        .into_service(Arc::new(state))
}
