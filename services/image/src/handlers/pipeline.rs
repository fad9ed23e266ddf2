//! `POST /api/v1/image/pipeline`: several operations, decoded once and encoded once.

use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::ApiError;

use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, no_options, options, read, run_and_respond, split};
use crate::encode::Output;
use crate::ops::Op;

/// A pipeline: the image, and operations applied in order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"data":crate::handlers::EXAMPLE_PNG,"operations":[{"op":"resize","width":12},{"op":"adjust","sharpen":1},{"op":"watermark","text":"© ACME"}],"format":"webp","quality":80}))]
pub struct PipelineRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// The steps, each `{"op": "resize" | "crop" | "extend" | "trim" | "rotate" | "flip" | "flop" | "adjust" | "watermark", …its options}`.
    pub operations: Vec<Op>,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
}

/// One step from its tag and options, deserialized into the step's own options so that errors
/// name the field.
fn op_from(tag: &str, m: Map<String, Value>) -> Result<Op, ApiError> {
    Ok(match tag {
        "resize" => Op::Resize(options(m)?),
        "crop" => Op::Crop(options(m)?),
        "extend" => Op::Extend(options(m)?),
        "trim" => Op::Trim(options(m)?),
        "rotate" => Op::Rotate(options(m)?),
        "adjust" => Op::Adjust(options(m)?),
        "watermark" => Op::Watermark(options(m)?),
        "flip" => no_options(tag, m).map(|()| Op::Flip)?,
        "flop" => no_options(tag, m).map(|()| Op::Flop)?,
        other => {
            return Err(ApiError::field(
                "op",
                format!(
                    "must be one of: resize, crop, extend, trim, rotate, flip, flop, adjust, watermark; got {other:?}"
                ),
            ));
        }
    })
}

/// Several operations in one call: decoded once, encoded once (as imaginary's /pipeline).
#[utoipa::path(post, path = "/api/v1/image/pipeline", tag = "image", request_body(content = PipelineRequest, description = "JSON; or raw/multipart with `operations` as a JSON text field or query parameter."),
    responses((status = 200, description = "The image", content_type = "image/*"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn pipeline(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (headers, input) = read(&st, req).await?;
    let (out, auto, mut rest) = split(input.options.clone(), false)?;
    let ops_v = rest
        .remove("operations")
        .ok_or_else(|| ApiError::field("operations", "is required: a list of steps"))?;
    if let Some(k) = rest.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            "is not a pipeline option (operations, output options, autoOrient)",
        ));
    }
    let ops_v = match ops_v {
        Value::String(s) => serde_json::from_str(&s)
            .map_err(|e| ApiError::field("operations", format!("is not a JSON list: {e}")))?,
        v => v,
    };
    let Value::Array(list) = ops_v else {
        return Err(ApiError::field("operations", "must be a list of steps"));
    };
    let mut steps = Vec::with_capacity(list.len());
    for (i, step) in list.into_iter().enumerate() {
        let at = format!("operations[{i}]");
        let Value::Object(mut m) = step else {
            return Err(ApiError::field(at, "must be an object with `op`"));
        };
        let tag = match m.remove("op") {
            Some(Value::String(t)) => t,
            _ => {
                return Err(ApiError::field(
                    format!("{at}.op"),
                    "is required: the step's name",
                ));
            }
        };
        steps.push(op_from(&tag, m).map_err(|e| e.prefixed(&at))?);
    }
    if steps.is_empty() || steps.len() > st.config.max_operations {
        return Err(ApiError::field(
            "operations",
            format!(
                "must hold 1 to {} steps (IMAGE_MAX_OPERATIONS); got {}",
                st.config.max_operations,
                steps.len()
            ),
        ));
    }
    run_and_respond(st, &headers, input, steps, out, auto).await
}
