//! `POST /api/v1/image/rotate`.

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
    RotateRequest,
    ops::RotateOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"angle":90}),
    "Rotate clockwise."
);

/// Rotate: quarter turns without loss, any angle with a background.
#[utoipa::path(post, path = "/api/v1/image/rotate", tag = "image", request_body(content = RotateRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn rotate(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Rotate(options(m)?)), true).await
}
