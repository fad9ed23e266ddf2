//! `POST /api/v1/data/markdown/to-html`, `/html/to-markdown`, `/html/extract`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{DataResult, Errors, St, respond};
use crate::html::{self, Extraction, HtmlError};

fn he(e: HtmlError) -> ApiError {
    ApiError::field(e.field, e.message)
}

/// Markdown to render.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"markdown":"# Hello\n\n- [x] **done**"}))]
pub struct MarkdownRequest {
    /// CommonMark with GitHub's tables, task lists, strikethrough and footnotes.
    pub markdown: String,
    /// Keep raw HTML and every link target as written (default false: raw HTML is escaped and
    /// `javascript:`/`data:` links are neutralised).
    #[serde(default)]
    pub allow_html: bool,
}

/// Markdown to HTML.
#[utoipa::path(post, path = "/api/v1/data/markdown/to-html", tag = "data", request_body = MarkdownRequest,
    responses((status = 200, description = "`data`: the HTML", body = DataResult,
        example = json!({"data":"<h1>Hello</h1>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n<strong>done</strong></li>\n</ul>\n"})), Errors))]
pub async fn markdown_to_html(State(st): State<St>, p: Payload<MarkdownRequest>) -> Response {
    respond(&st, "markdown_to_html", p, |r| {
        Ok(DataResult {
            data: serde_json::Value::String(html::markdown_to_html(&r.markdown, r.allow_html)),
        })
    })
    .await
}

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
    responses((status = 200, description = "`data`: the Markdown", body = DataResult,
        example = json!({"data":"## Hi\n\nA **bold** [link](https://x.org)."})), Errors))]
pub async fn html_to_markdown(State(st): State<St>, p: Payload<HtmlRequest>) -> Response {
    let depth = st.max_depth;
    respond(&st, "html_to_markdown", p, move |r| {
        Ok(DataResult {
            data: serde_json::Value::String(html::html_to_markdown(&r.html, depth).map_err(he)?),
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
        example = json!({"data":{"products":[{"name":"Lamp","price":"€ 20"},{"name":"Desk","price":"€ 90"}]}})), Errors))]
pub async fn html_extract(State(st): State<St>, p: Payload<ExtractRequest>) -> Response {
    let depth = st.max_depth;
    respond(&st, "html_extract", p, move |r| {
        Ok(DataResult {
            data: serde_json::Value::Object(html::extract(&r.html, &r.extract, depth).map_err(he)?),
        })
    })
    .await
}
