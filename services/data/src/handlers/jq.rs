//! `POST /api/v1/data/jq`.

use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use flowforge_kit::extract::{is_json, parse_json, unsupported_media_type};
use flowforge_kit::{ApiError, Query};
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use super::{St, json_response};
use crate::jq::request::{self, Inputs, Limits};

/// Run a jq filter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"filter":".[] | .a","input":[{"a":1},{"a":2}]}))]
pub struct JqRequest {
    /// The filter, in the jq 1.7 language.
    pub filter: String,
    /// The input value (default `null`).
    #[schema(value_type = Option<serde_json::Value>)]
    pub input: Option<Box<RawValue>>,
    /// Several inputs, each run through the filter in turn (as jq reads a stream); outputs are
    /// concatenated. Instead of `input`.
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub inputs: Option<Box<RawValue>>,
}

/// Every output of the filter, in order.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"outputs":[1,2]}))]
pub struct JqResponse {
    /// The outputs.
    pub outputs: Vec<serde_json::Value>,
}

/// Query-string form: the body is the input.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JqQuery {
    /// The filter; when given, the raw body is the input (one JSON value or a stream of them).
    pub filter: Option<String>,
}

/// Apply a jq filter to one input or many; answers every output.
#[utoipa::path(post, path = "/api/v1/data/jq", tag = "data", request_body = JqRequest, params(JqQuery),
    responses((status = 200, description = "The outputs", body = JqResponse)))]
pub async fn jq(
    State(st): State<St>,
    Query(q): Query<JqQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = flowforge_kit::extract::read_body_sized(&headers, body, st.config.max_body).await?;
    if q.filter.is_none() && !is_json(&headers) {
        return Err(unsupported_media_type(
            &flowforge_kit::extract::content_type(&headers),
            "application/json (or give `filter` in the query string and send the input as the body)",
        ));
    }
    let c = &st.config;
    let lim = Limits {
        max_depth: c.max_depth,
        timeout: c.jq_timeout,
        max_outputs: c.jq_max_outputs,
        threads: c.jq_threads,
    };
    st.cpu
        .run(move || {
            // The time limit counts from here, once the pool runs the request.
            let started = Instant::now();
            let out = match q.filter {
                Some(filter) => request::answer(&filter, Inputs::Body(&bytes), &lim, started)?,
                None => {
                    let r: JqRequest = parse_json(&bytes)?;
                    let inputs = Inputs::Fields {
                        input: r.input.as_deref().map(RawValue::get),
                        inputs: r.inputs.as_deref().map(RawValue::get),
                    };
                    request::answer(&r.filter, inputs, &lim, started)?
                }
            };
            Ok(json_response(out))
        })
        .await?
}
