//! HTTP handlers, one file per URL area (`/api/v1/data/<area>/…` is `handlers/<area>.rs`),
//! each with its request and response types. Thin: extract, call the domain, respond.

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flowforge_kit::{ApiError, CpuPool, Payload};
use utoipa::ToSchema;

/// Limits and the CPU pool.
#[derive(Debug, Clone)]
pub struct DataState {
    /// CPU pool: every filter and conversion runs there.
    pub cpu: CpuPool,
    /// The limits.
    pub config: crate::config::Config,
}

/// The state as handlers receive it.
pub type St = Arc<DataState>;

pub(crate) fn json_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

pub(crate) async fn respond<T, R, F>(st: &St, op: &'static str, p: Payload<T>, f: F) -> Response
where
    T: Send + 'static,
    R: serde::Serialize,
    F: Fn(T) -> Result<R, ApiError> + Send + 'static,
{
    p.respond_on(&st.cpu, true, (crate::NAME, op), f).await
}

/// The result of a JSON operation.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"data":{"a.b":1}}))]
pub struct DataResult {
    /// The result.
    pub data: serde_json::Value,
}

/// A text result: Markdown, HTML, a rendered template.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"data":"# Title"}))]
pub struct TextData {
    /// The text.
    pub data: String,
}

pub mod convert;
pub mod datetime;
pub mod decode;
pub mod encode;
pub mod html;
pub mod items;
pub mod jq;
pub mod json;
pub mod markdown;
pub mod template;
pub mod text;
pub mod validate;

/// Serde's default for flags that are on unless turned off.
pub(crate) fn yes() -> bool {
    true
}
