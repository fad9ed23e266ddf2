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

use super::{St, depth_over, json_response, too_deep};
use crate::jq::{self, RunLimits};

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
    let st2 = st.clone();
    let raw_filter = q.filter;
    if raw_filter.is_none() && !is_json(&headers) {
        return Err(unsupported_media_type(
            &flowforge_kit::extract::content_type(&headers),
            "application/json (or give `filter` in the query string and send the input as the body)",
        ));
    }
    st.cpu
        .run(move || {
            let st = st2;
            let deadline = Instant::now() + st.config.jq_timeout;
            let (filter, inputs) = match raw_filter {
                Some(f) => {
                    // One pass checks the depth and finds where a large array can be cut, so
                    // its parts are read in parallel.
                    let scan = jq::scan(&bytes, st.config.max_depth, st.config.jq_threads);
                    if scan.too_deep {
                        return Err(too_deep("body", st.config.max_depth));
                    }
                    let inputs = if bytes.trim_ascii().is_empty() {
                        vec![jaq_json::Val::Null]
                    } else {
                        jq::parse_json_stream_split(&bytes, scan.parts.as_deref())
                            .map_err(|e| ApiError::field("body", format!("is not JSON: {e}")))?
                    };
                    (f, inputs)
                }
                None => {
                    let r: JqRequest = parse_json(&bytes)?;
                    let (field, raw) = match (&r.input, &r.inputs) {
                        (Some(_), Some(_)) => {
                            return Err(ApiError::field(
                                "inputs",
                                "give either `input` or `inputs`, not both",
                            ));
                        }
                        (_, Some(i)) => ("inputs", Some(i)),
                        (i, None) => ("input", i.as_ref()),
                    };
                    let text = raw.map_or("null", |r| r.get());
                    if depth_over(text.as_bytes(), st.config.max_depth) {
                        return Err(too_deep(field, st.config.max_depth));
                    }
                    let v = jq::parse_json(text.as_bytes())
                        .map_err(|e| ApiError::field(field, format!("is not JSON: {e}")))?;
                    let inputs = if field == "inputs" {
                        match v {
                            jaq_json::Val::Arr(a) => a.iter().cloned().collect(),
                            _ => {
                                return Err(ApiError::field(
                                    "inputs",
                                    "must be an array of input values",
                                ));
                            }
                        }
                    } else {
                        vec![v]
                    };
                    (r.filter, inputs)
                }
            };
            let program =
                jq::compile(&filter).map_err(|e| ApiError::field("filter", e.describe(&filter)))?;
            let lim = RunLimits {
                max_outputs: st.config.jq_max_outputs,
                deadline,
            };
            let mut outputs = Vec::new();
            // Inputs a program maps element by element (`map(f)`, `.[] | f`) are only
            // borrowed, so their memory is given back after the answer is sent.
            let mut kept = Vec::new();
            for input in inputs {
                match program.run_split(&input, st.config.jq_threads, &lim, &mut outputs) {
                    Some(r) => {
                        r.map_err(|e| e.into_error(st.config.jq_timeout))?;
                        kept.push(input);
                    }
                    None => program
                        .run(input, &lim, &mut outputs)
                        .map_err(|e| e.into_error(st.config.jq_timeout))?,
                }
            }
            let mut out = Vec::with_capacity(64);
            out.extend_from_slice(b"{\"outputs\":[");
            jq::write_outputs(&outputs, st.config.jq_threads, &mut out).ok_or_else(|| {
                ApiError::unprocessable(
                    "filter",
                    format!(
                        "an output nests deeper than {} levels and cannot be written",
                        jq::MAX_WRITE_DEPTH
                    ),
                )
            })?;
            out.extend_from_slice(b"]}");
            // Freeing a large input's values takes a good part of a second: done beside the
            // answer rather than before it.
            if bytes.len() >= jq::MIN_SPLIT_BYTES {
                // Where no thread can be made, they are freed here when the closure is dropped.
                let _ = std::thread::Builder::new()
                    .name("jq-free".into())
                    .spawn(move || drop((kept, outputs)));
            }
            Ok(json_response(out))
        })
        .await?
}
