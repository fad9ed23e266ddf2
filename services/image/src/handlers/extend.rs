//! `POST /api/v1/image/extend`.

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
    ExtendRequest,
    ops::ExtendOpts,
    json!({"data":crate::handlers::EXAMPLE_PNG,"top":10,"bottom":10,"left":20,"right":20,"background":"#ffffff"}),
    "Extend the canvas."
);

/// Extend (pad) the canvas with a colour.
#[utoipa::path(post, path = "/api/v1/image/extend", tag = "image", request_body(content = ExtendRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn extend(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Extend(options(m)?)), true).await
}
