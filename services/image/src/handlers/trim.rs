//! `POST /api/v1/image/trim`.

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
    TrimRequest,
    ops::TrimOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"threshold":10}),
    "Trim uniform borders."
);

/// Trim borders the colour of the top-left pixel.
#[utoipa::path(post, path = "/api/v1/image/trim", tag = "image", request_body(content = TrimRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn trim(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Trim(options(m)?)), false).await
}
