//! `POST /api/v1/image/flip`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;

use super::{PlainRequest, St, no_options, one};
use crate::ops::Op;

/// Mirror top to bottom.
#[utoipa::path(post, path = "/api/v1/image/flip", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn flip(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| no_options("flip", m).map(|()| Op::Flip), false).await
}
