//! `POST /api/v1/pdf/info`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;

use super::{St, inspect};
use crate::info::Info;

file_request!(
    InfoRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF to describe."
);

/// Pages (size, rotation, whether each has a text layer), version, encryption, metadata,
/// bookmarks, form fields and attachments.
#[utoipa::path(post, path = "/api/v1/pdf/info", tag = "pdf",
    request_body(content = InfoRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "What the PDF holds", body = Info,
        example = json!({"pageCount":1,"version":"1.7","encrypted":false,"metadata":{"title":"Invoice 42","custom":{}},"bookmarks":0,"formFields":[],"attachments":[],"pages":[{"number":1,"width":595.0,"height":842.0,"rotation":0,"hasText":true}]}))))]
pub async fn info(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    inspect(st, req, |doc, _: super::NoOptions, st| {
        Ok(crate::info::describe(doc, &st.config.limits)?)
    })
    .await
}
