//! `POST /api/v1/data/html/to-markdown`, `/html/extract`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{DataResult, St, TextData, respond};
use crate::html::{self, Extraction};

/// HTML to convert.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"html":"<h2>Hi</h2><p>A <b>bold</b> <a href=\"https://x.org\">link</a>.</p>"}))]
pub struct HtmlRequest {
    /// A document or a fragment.
    pub html: String,
}

/// HTML to Markdown.
#[utoipa::path(post, path = "/api/v1/data/html/to-markdown", tag = "data", request_body = HtmlRequest,
    responses((status = 200, description = "`data`: the Markdown", body = TextData,
        example = json!({"data":"## Hi\n\nA **bold** [link](https://x.org)."}))))]
pub async fn html_to_markdown(State(st): State<St>, p: Payload<HtmlRequest>) -> Response {
    let depth = st.config.max_depth;
    respond(&st, "html_to_markdown", p, move |r| {
        Ok(TextData {
            data: (html::html_to_markdown(&r.html, depth)?),
        })
    })
    .await
}

/// What to extract from HTML.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"html":"<div class=\"p\"><h3>Lamp</h3><span class=\"price\">€ 20</span></div><div class=\"p\"><h3>Desk</h3><span class=\"price\">€ 90</span></div>",
    "extract":[{"key":"products","selector":"div.p","all":true,"fields":[{"key":"name","selector":"h3"},{"key":"price","selector":".price"}]}]}))]
pub struct ExtractRequest {
    /// The document.
    pub html: String,
    /// What to take: each a key, a CSS selector, and text, html, inner-html, attribute or value.
    pub extract: Vec<Extraction>,
}

/// Extract values from HTML with CSS selectors.
#[utoipa::path(post, path = "/api/v1/data/html/extract", tag = "data", request_body = ExtractRequest,
    responses((status = 200, description = "`data`: an object by key", body = DataResult,
        example = json!({"data":{"products":[{"name":"Lamp","price":"€ 20"},{"name":"Desk","price":"€ 90"}]}}))))]
pub async fn html_extract(State(st): State<St>, p: Payload<ExtractRequest>) -> Response {
    let depth = st.config.max_depth;
    respond(&st, "html_extract", p, move |r| {
        Ok(DataResult {
            data: serde_json::Value::Object(html::extract(&r.html, &r.extract, depth)?),
        })
    })
    .await
}
