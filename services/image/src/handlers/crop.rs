//! `POST /api/v1/image/crop`.

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
    CropRequest,
    ops::CropOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"width":8,"height":8,"gravity":"attention"}),
    "Crop: a rectangle (`left`, `top`, `width`, `height`) or a size by gravity."
);

/// Crop a rectangle, or a size at a gravity, or a smart crop (entropy, attention).
#[utoipa::path(post, path = "/api/v1/image/crop", tag = "image", request_body(content = CropRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn crop(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Crop(options(m)?)), false).await
}
