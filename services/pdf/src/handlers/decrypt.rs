//! `POST /api/v1/pdf/decrypt`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde_json::Map;

use super::{St, edit};

file_request!(
    DecryptRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"password":"open sesame"}),
    "An encrypted PDF and its password."
);

/// Remove a PDF's password and restrictions (with the password).
#[utoipa::path(post, path = "/api/v1/pdf/decrypt", tag = "pdf",
    request_body(content = DecryptRequest, description = "JSON with `data` or `url`; or multipart (`file` and `password`); or the raw PDF with `password` in the query string."),
    responses((status = 200, description = "The PDF, without encryption", content_type = "application/pdf")))]
pub async fn decrypt(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    // Opened with its password, a file is written without encryption.
    edit(st, req, "decrypted.pdf", |_, _: super::NoOptions, _| {
        Ok(Map::new())
    })
    .await
}
