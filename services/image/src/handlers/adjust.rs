//! `POST /api/v1/image/adjust`.

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
    AdjustRequest,
    ops::AdjustOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"grayscale":true,"contrast":20,"sharpen":1}),
    "Colour and tone adjustments."
);

/// Blur, sharpen, grayscale, brightness, contrast, saturation, hue, gamma, negate, normalize, threshold, tint.
#[utoipa::path(post, path = "/api/v1/image/adjust", tag = "image", request_body(content = AdjustRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn adjust(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Adjust(options(m)?)), false).await
}
