//! `POST /api/v1/data/template`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, TextData, respond};
use crate::template::{self, Mode};

/// A template and the data to render it with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"template":"Hello {{ name }}, you owe {{ total|currency('EUR', locale='de') }}.","data":{"name":"Ada","total":1234.5}}))]
pub struct TemplateRequest {
    /// The template, in Jinja syntax (minijinja).
    pub template: String,
    /// The context: an object's keys are the variables; any other value is `data`.
    #[serde(default)]
    pub data: serde_json::Value,
    /// `html` (the default: every `{{ }}` HTML-escaped unless `|safe`), `text` or `markdown` (nothing escaped).
    #[serde(default)]
    pub mode: Mode,
    /// Named templates for `{% include %}`, `{% import %}` and `{% extends %}`.
    #[serde(default)]
    pub partials: BTreeMap<String, String>,
    /// An undefined variable is an error rather than empty (default false, as Jinja).
    #[serde(default)]
    pub strict: bool,
}

/// Render a Jinja-style template.
#[utoipa::path(post, path = "/api/v1/data/template", tag = "data", request_body = TemplateRequest,
    responses((status = 200, description = "`data`: the rendered text", body = TextData,
        example = json!({"data":"Hello Ada, you owe 1.234,50\u{a0}€."}))))]
pub async fn template(State(st): State<St>, p: Payload<TemplateRequest>) -> Response {
    let limits = st.config.template;
    respond(&st, "template", p, move |r| {
        let out = template::render(&r.template, &r.partials, &r.data, r.mode, r.strict, limits)
            .map_err(|e| e.into_error(limits))?;
        Ok(TextData { data: out })
    })
    .await
}
