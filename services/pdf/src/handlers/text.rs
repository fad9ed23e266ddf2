//! `POST /api/v1/pdf/text`.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::ApiError;
use serde::Deserialize;
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
    /// `words` (default: lines, and words with boxes and font sizes), `lines` (lines with
    /// boxes), or `text` (each page's text only: the fastest).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(words|lines|text)$")]
    pub detail: Option<TextDetail>,
    /// Keep columns and tables in their places in `text`, as `pdftotext -layout` does (words
    /// in rows, spaced to their columns); default false: lines in reading order.
    #[serde(default)]
    pub layout: bool,
}

flowforge_kit::wire_enum! {
    /// How much each page's text comes with.
    pub enum TextDetail {
        /// Lines, and words with boxes and font sizes.
        Words = "words",
        /// Lines with boxes.
        Lines = "lines",
        /// The text only.
        Text = "text",
    }
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
    let detail = match options.detail.unwrap_or(TextDetail::Words) {
        TextDetail::Words => "words",
        TextDetail::Lines => "lines",
        TextDetail::Text => "text",
    };
    let job = Job {
        format: detail.into(),
        layout: options.layout,
        ..Job::new("text")
    };
    let (_, reply, body) = in_worker(&st, input, password, &spec, job).await?;
    // The workers wrote each page as JSON and its plain text after it: the answer is put
    // together from those bytes, never parsed.
    let short = || ApiError::internal("a worker's reply is shorter than it says");
    let mut pages = Vec::with_capacity(body.len() + 64);
    let mut text = String::new();
    let mut at = 0usize;
    pages.push(b'[');
    for (i, item) in reply.items.iter().enumerate() {
        let json = body.get(at..at + item.len).ok_or_else(short)?;
        let plain = body
            .get(at + item.len..at + item.len + item.text_len)
            .ok_or_else(short)?;
        at += item.len + item.text_len;
        if i > 0 {
            pages.push(b',');
            text.push_str("\n\n");
        }
        pages.extend_from_slice(json);
        text.push_str(&String::from_utf8_lossy(plain));
    }
    pages.push(b']');
    let mut out = Vec::with_capacity(pages.len() + text.len() + 64);
    out.extend_from_slice(format!("{{\"pageCount\":{},\"text\":", reply.page_count).as_bytes());
    serde_json::to_writer(&mut out, &text)
        .map_err(|e| ApiError::internal(format!("the text could not be written: {e}")))?;
    out.extend_from_slice(b",\"pages\":");
    out.extend_from_slice(&pages);
    out.push(b'}');
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        out,
    )
        .into_response())
}
