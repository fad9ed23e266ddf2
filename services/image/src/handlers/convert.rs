//! `POST /api/v1/image/convert`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;

use super::{PlainRequest, St, read, run_and_respond, split};
use crate::encode::OUTPUT_KEYS;

/// Convert between formats (JPEG, PNG, WebP, GIF, TIFF, BMP, ICO) with their options; metadata is stripped.
#[utoipa::path(post, path = "/api/v1/image/convert", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn convert(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (headers, input) = read(&st, req).await?;
    let (out, auto, rest) = split(input.options.clone(), false)?;
    if let Some(k) = rest.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            format!(
                "is not an option of convert; the accepted ones are {}, autoOrient",
                OUTPUT_KEYS.join(", ")
            ),
        ));
    }
    run_and_respond(st, &headers, input, Vec::new(), out, auto).await
}
