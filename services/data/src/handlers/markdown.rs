//! `POST /api/v1/data/markdown/to-html`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, TextData, respond};
use crate::html::{self};

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
    responses((status = 200, description = "`data`: the HTML", body = TextData,
        example = json!({"data":"<h1>Hello</h1>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n<strong>done</strong></li>\n</ul>\n"}))))]
pub async fn markdown_to_html(State(st): State<St>, p: Payload<MarkdownRequest>) -> Response {
    respond(&st, "markdown_to_html", p, |r| {
        Ok(TextData {
            data: (html::markdown_to_html(&r.markdown, r.allow_html)),
        })
    })
    .await
}
