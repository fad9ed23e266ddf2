//! `POST /api/v1/pdf/text`.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::render::in_worker;
use super::{One, St, one};
use crate::worker::Job;

/// Options of `text`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TextOptions {
    /// The pages, as `pages` takes them (`1-3,7`; default `all`).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
}

file_request!(
    TextRequest,
    TextOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF whose text to read."
);

/// Text per page in reading order, as plain text and as lines and words with boxes (PDF points
/// from the page's top left, and 0-1 fractions of the page) and font sizes. A scanned page has
/// none: OCR it (`info` says which pages have a text layer).
#[utoipa::path(post, path = "/api/v1/pdf/text", tag = "pdf",
    request_body(content = TextRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF with `pages` in the query string."),
    responses((status = 200, description = "The text", body = Object,
        example = json!({"pageCount":1,"text":"Hello, PDF","pages":[{"number":1,"width":200.0,"height":100.0,"text":"Hello, PDF","lines":[{"text":"Hello, PDF","box":[20.0,39.1,130.3,66.2],"normalized":[0.1,0.391,0.6515,0.662]}],"words":[{"text":"Hello,","box":[20.0,39.1,84.0,66.2],"normalized":[0.1,0.391,0.42,0.662],"fontSize":24.0}]}]})),
        (status = 503, description = "PDFium is not installed and could not be fetched (`flowforge models fetch`)")))]
pub async fn text(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        input,
        options,
        password,
        ..
    } = one::<TextOptions>(&st, req).await?;
    let spec = options.pages.unwrap_or_else(|| "all".into());
    let job = Job::new("text");
    let (_, reply, body) = in_worker(&st, input, password, &spec, job).await?;
    let pages: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::internal(format!("a worker's text is not JSON: {e}")))?;
    let text = pages
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .unwrap_or_default();
    Ok(
        axum::Json(json!({"pageCount": reply.page_count, "text": text, "pages": pages}))
            .into_response(),
    )
}
