//! `POST /api/v1/image/resize`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, one, options};
use crate::encode::Output;
use crate::ops::{self, Op};

/// Documentation shape of an image request in JSON (the file as base64 `data` or a `url`); the
/// same options go in the query string with a raw body, or as multipart fields beside `file`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"data":crate::handlers::EXAMPLE_PNG,"width":8,"format":"webp","quality":80}))]
pub struct ResizeRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from (public addresses only, unless configured).
    pub url: Option<String>,
    /// Resize options.
    #[serde(flatten)]
    pub resize: ops::ResizeOpts,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
    /// Turn the image upright by its EXIF orientation first (default true).
    pub auto_orient: Option<bool>,
}

/// Resize (cover, contain, fill, inside, outside; gravity or smart position; kernel).
#[utoipa::path(post, path = "/api/v1/image/resize", tag = "image",
    request_body(content = ResizeRequest, description = "The image as a raw body (options in the query string), multipart (`file` plus option fields), or JSON (`data` base64 or `url`, options beside)."),
    responses((status = 200, description = "The image; JSON with base64 `data` with `response=json`, or when Accept takes JSON and not images", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn resize(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    one(st, req, |m| Ok(Op::Resize(options(m)?)), true).await
}
