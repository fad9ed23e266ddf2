//! `POST /api/v1/image/watermark`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, one, options};
use crate::encode::Output;
use crate::ops::{self, Op};

doc_request!(
    WatermarkRequest,
    ops::WatermarkOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"text":"© ACME","gravity":"southeast","opacity":0.6}),
    "Overlay text or an image."
);

/// Overlay text (bundled font) or an image, at a gravity or tiled.
#[utoipa::path(post, path = "/api/v1/image/watermark", tag = "image", request_body(content = WatermarkRequest, description = "As resize; the overlay image as base64 `overlay`, or the multipart part `overlay`."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn watermark(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Watermark(options(m)?)), false).await
}
