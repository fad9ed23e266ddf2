//! `POST /api/v1/image/flop`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;

use super::{PlainRequest, St, no_options, one};
use crate::ops::Op;

/// Mirror left to right.
#[utoipa::path(post, path = "/api/v1/image/flop", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn flop(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| no_options("flop", m).map(|()| Op::Flop), false).await
}
