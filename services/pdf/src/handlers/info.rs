//! `POST /api/v1/pdf/info`.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::ApiError;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, open, options, read};
use crate::info::Info;

/// Options of `info`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InfoOptions {
    /// The file's password, if it is encrypted.
    #[serde(default)]
    pub password: Option<String>,
}

file_request!(
    InfoRequest,
    InfoOptions,
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
    let (_, mut input) = read(&st, req).await?;
    input.response = None;
    let o: InfoOptions = options(input.options.clone())?;
    let st2 = st.clone();
    let info = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let doc = open(&st2, &input, o.password.as_deref())?;
            Ok(crate::info::describe(&doc, &st2.config.limits)?)
        })
        .await??;
    Ok(axum::Json(info).into_response())
}
