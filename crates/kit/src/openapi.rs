//! The kit's own endpoints and the base OpenAPI document services are merged into.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Doc;

use crate::error::{ErrorBody, ErrorCode, ErrorObject, FieldError};
use crate::health::{Health, HealthReport, Status};

/// Health of the process and its dependencies: 200 while healthy or degraded, 503 when it
/// cannot serve.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses(
        (status = 200, description = "Healthy or degraded", body = HealthReport),
        (status = 503, description = "Unhealthy", body = HealthReport),
    ))]
pub async fn get_health(State(h): State<Health>) -> Response {
    crate::health::report_response(h.report().await)
}

/// Liveness probe: the process answers.
#[utoipa::path(get, path = "/health/live", tag = "operations",
    responses((status = 200, description = "Alive")))]
pub async fn get_live() -> &'static str {
    "ok"
}

/// Readiness probe: 200 unless a critical dependency is down.
#[utoipa::path(get, path = "/health/ready", tag = "operations",
    responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
pub async fn get_ready(State(h): State<Health>) -> Response {
    let r = h.report().await;
    (crate::health::status_code(r.status), r.status_text()).into_response()
}

/// Prometheus metrics in the text exposition format (behind `Authorization: Bearer
/// <FLOWFORGE_METRICS_TOKEN>` when that is set).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text", content_type = "text/plain"),
              (status = 401, description = "FLOWFORGE_METRICS_TOKEN is set and the bearer token is missing or wrong", body = ErrorBody)))]
pub async fn get_metrics(
    State(token): State<Option<std::sync::Arc<str>>>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(want) = token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Constant-time: compare digests, so neither length nor content leaks through timing.
        use sha2::Digest;
        let a = sha2::Sha256::digest(given.as_bytes());
        let b = sha2::Sha256::digest(want.as_bytes());
        let same = a
            .iter()
            .zip(b.iter())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0;
        if !same {
            return crate::ApiError::new(
                ErrorCode::Unauthorized,
                "/metrics needs Authorization: Bearer <FLOWFORGE_METRICS_TOKEN>",
            )
            .into_response();
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::get().render(),
    )
        .into_response()
}

impl HealthReport {
    fn status_text(&self) -> &'static str {
        match self.status {
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(get_health, get_live, get_ready, get_metrics),
    components(schemas(ErrorBody, ErrorObject, ErrorCode, FieldError, HealthReport, Status)),
    tags((name = "operations", description = "Health, metrics and the API description")),
)]
struct KitApi;

/// The base document: title, version, the error envelope schema and the kit's endpoints.
pub fn base(title: &str) -> Doc {
    let mut doc = KitApi::openapi();
    doc.info.title = title.to_string();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.info.description = Some(
        "FlowForge: computational and AI operations for workflow automation. Every error is \
         the JSON envelope `{\"error\":{\"code\",\"message\",\"details\",\"requestId\"}}`."
            .to_string(),
    );
    doc
}

/// One documented error answer: status, name in `components.responses`, code, when it happens,
/// and an example body.
struct Documented {
    status: u16,
    name: &'static str,
    code: ErrorCode,
    when: &'static str,
    field: &'static str,
    message: &'static str,
}

/// The error answers every operation under `/api/v1/` can give, each documented once in
/// `components.responses` and referenced by every operation (an operation's own description of
/// a status, such as crypto's 422, is kept and given the envelope's schema).
const ERRORS: &[Documented] = &[
    Documented {
        status: 400,
        name: "BadRequest",
        code: ErrorCode::ValidationError,
        when: "The request is malformed or a field is wrong: malformed JSON, a missing, unknown or mistyped field, a value out of range. `message` names the field and what to send instead; `details` repeats it per field.",
        field: "algorithm",
        message: "unknown value \"sha265\"; expected one of md5, sha1, sha224, sha256, sha384, sha512",
    },
    Documented {
        status: 401,
        name: "Unauthorized",
        code: ErrorCode::Unauthorized,
        when: "No API key, or one that is unknown or revoked (X-API-Key, Authorization: Bearer or Basic).",
        field: "X-API-Key",
        message: "send a valid key in the X-API-Key header (or Authorization: Bearer <key>)",
    },
    Documented {
        status: 413,
        name: "PayloadTooLarge",
        code: ErrorCode::PayloadTooLarge,
        when: "The body is larger than this route's limit (configurable; see the service's page).",
        field: "body",
        message: "request body is larger than this route's limit of 10485760 bytes; send less data or raise the limit",
    },
    Documented {
        status: 415,
        name: "UnsupportedMediaType",
        code: ErrorCode::UnsupportedMediaType,
        when: "The Content-Type is not one this operation reads (JSON operations take application/json).",
        field: "Content-Type",
        message: "expected Content-Type: application/json",
    },
    Documented {
        status: 422,
        name: "Unprocessable",
        code: ErrorCode::ValidationError,
        when: "Well formed, but it has no answer: a signature that does not verify, a singular matrix, a filter that raised an error, a limit on the work reached.",
        field: "matrix",
        message: "is singular (determinant 0), so it has no inverse; use matrix/pinv for a pseudo-inverse",
    },
    Documented {
        status: 429,
        name: "RateLimited",
        code: ErrorCode::RateLimited,
        when: "The key's tier allows no more calls this minute or day; retry after `Retry-After` seconds.",
        field: "X-API-Key",
        message: "rate limit of the free tier reached (100 calls per minute); retry in 12 seconds",
    },
    Documented {
        status: 500,
        name: "InternalError",
        code: ErrorCode::InternalError,
        when: "A fault on our side; report the request id to the operator.",
        field: "body",
        message: "internal error; report the request id to the operator",
    },
    Documented {
        status: 503,
        name: "ServiceUnavailable",
        code: ErrorCode::ServiceUnavailable,
        when: "The CPU pool and its queue are full, or a dependency is down; retry after `Retry-After` seconds.",
        field: "body",
        message: "the server is busy (2 CPU jobs running, 64 waiting); retry in a second",
    },
    Documented {
        status: 504,
        name: "Timeout",
        code: ErrorCode::Timeout,
        when: "The operation ran past this route's time limit; send less work per call.",
        field: "body",
        message: "the operation took longer than this route's limit of 30.0s; send less work per call",
    },
];

/// The example envelope for a documented error.
fn example(d: &Documented) -> serde_json::Value {
    let message = if d.field == "body" {
        d.message.to_string()
    } else {
        format!("{}: {}", d.field, d.message)
    };
    serde_json::json!({"error": {
        "code": d.code.as_str(),
        "message": message,
        "details": [{"field": d.field, "message": d.message}],
        "requestId": "0193a5c2-7d1e-7b40-9f0e-2a1c3b4d5e6f",
    }})
}

fn envelope_content(ex: Option<serde_json::Value>) -> utoipa::openapi::Content {
    let mut c = utoipa::openapi::ContentBuilder::new()
        .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
        .build();
    c.example = ex;
    c
}

/// The documented error statuses and their codes, for the contract suite.
pub fn documented_errors() -> Vec<(u16, ErrorCode, serde_json::Value)> {
    ERRORS
        .iter()
        .map(|d| (d.status, d.code, example(d)))
        .collect()
}

/// The operation id the URL gives: `/api/v1/math/matrix/inverse` is `math_matrix_inverse`.
pub fn operation_id(path: &str) -> String {
    path.trim_start_matches("/api/v1/")
        .trim_matches('/')
        .replace(['/', '-'], "_")
}

/// Finish a merged document: the documented error answers on every operation under
/// `/api/v1/`, the three ways to send the API key (X-API-Key, Bearer, Basic) declared and
/// applied, and operation ids that follow the URL. Idempotent.
pub fn finish(doc: &mut Doc) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
    };
    use utoipa::openapi::{RefOr, ResponseBuilder};
    let components = doc.components.get_or_insert_with(Default::default);
    for d in ERRORS {
        components.responses.insert(
            d.name.to_string(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(d.when)
                    .content("application/json", envelope_content(Some(example(d))))
                    .build(),
            ),
        );
    }
    components.security_schemes.insert(
        "apiKey".into(),
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-API-Key",
            "The API key (`flowforge keys create`).",
        ))),
    );
    components.security_schemes.insert(
        "bearer".into(),
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    components.security_schemes.insert(
        "basic".into(),
        SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
    );
    let security = vec![
        SecurityRequirement::new("apiKey", Vec::<String>::new()),
        SecurityRequirement::new("bearer", Vec::<String>::new()),
        SecurityRequirement::new("basic", Vec::<String>::new()),
    ];
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            op.operation_id = Some(operation_id(path));
            op.security = Some(security.clone());
            for d in ERRORS {
                let status = d.status.to_string();
                match op.responses.responses.get_mut(&status) {
                    Some(RefOr::T(own)) => {
                        // The operation's own words for this status; the envelope's schema.
                        own.content.insert(
                            "application/json".into(),
                            envelope_content(Some(example(d))),
                        );
                    }
                    Some(RefOr::Ref(_)) => {}
                    None => {
                        op.responses.responses.insert(
                            status,
                            RefOr::Ref(utoipa::openapi::Ref::from_response_name(d.name)),
                        );
                    }
                }
            }
            // Statuses the operation documents beyond the set (403 for a refused URL) carry
            // the envelope too.
            for (status, r) in op.responses.responses.iter_mut() {
                if let RefOr::T(own) = r
                    && !status.starts_with('2')
                    && own.content.is_empty()
                {
                    own.content
                        .insert("application/json".into(), envelope_content(None));
                }
            }
        }
    }
}

/// Merge `allOf` lists of object schemas into one object schema. `#[serde(flatten)]` of types
/// that refuse unknown fields documents as `allOf` of parts that each say
/// `additionalProperties: false`, which no value satisfies (each part forbids the others'
/// fields), so a client generator or fuzzer cannot build a request. One object with every
/// part's properties says what the service accepts.
pub fn merge_all_of(v: &mut serde_json::Value) {
    // Parts are read from the document as it was, while the walk rewrites it.
    let before = v.clone();
    merge_in(v, &before);
}

/// The document as served and printed: JSON, with flattened closed objects merged
/// ([`merge_all_of`]).
pub fn to_json(doc: &Doc) -> serde_json::Value {
    let mut v = serde_json::to_value(doc).unwrap_or_default();
    merge_all_of(&mut v);
    integer_bounds(&mut v);
    nullable_numbers_in_answers(&mut v);
    v
}

/// JSON has no NaN or infinity, so an answer's number that is not finite (a variance that
/// overflows, 1/0) is written as `null`: every number in a success answer's schema is
/// documented as a number or null, and the services' pages say when.
pub fn nullable_numbers_in_answers(v: &mut serde_json::Value) {
    use serde_json::Value;
    fn refs(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str)
                    && let Some(n) = r.strip_prefix("#/components/schemas/")
                {
                    out.insert(n.to_string());
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    fn nullable(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.get("type") == Some(&Value::from("number")) {
                    m.insert("type".into(), serde_json::json!(["number", "null"]));
                }
                m.values_mut().for_each(nullable);
            }
            Value::Array(a) => a.iter_mut().for_each(nullable),
            _ => {}
        }
    }
    // The schemas success answers use, and the schemas those use, and so on.
    let mut names = std::collections::BTreeSet::new();
    if let Some(paths) = v.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                for (status, r) in responses.iter_mut() {
                    if status.starts_with('2') {
                        refs(r, &mut names);
                        nullable(r);
                    }
                }
            }
        }
    }
    let Some(schemas) = v
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut todo: Vec<String> = names.iter().cloned().collect();
    while let Some(n) = todo.pop() {
        let mut more = std::collections::BTreeSet::new();
        if let Some(s) = schemas.get(&n) {
            refs(s, &mut more);
        }
        for m in more {
            if names.insert(m.clone()) {
                todo.push(m);
            }
        }
    }
    for n in &names {
        if let Some(s) = schemas.get_mut(n) {
            nullable(s);
        }
    }
}

/// Give every integer schema the bounds of its Rust type (`format: uint32` is 0 to 4294967295),
/// so the document says exactly which numbers the service takes: a client or fuzzer that
/// reads `int32` as 2^31 - 1 would otherwise find the service accepting more than documented.
pub fn integer_bounds(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            // utoipa writes its unsigned formats kebab-cased (`u-int32`); the registry's name is
            // `uint32`.
            if let Some(f) = m.get("format").and_then(Value::as_str)
                && let Some(bits) = f.strip_prefix("u-int")
            {
                let fixed = format!("uint{bits}");
                m.insert("format".into(), Value::from(fixed));
            }
            let bounds: Option<(i128, u128)> = match m.get("format").and_then(Value::as_str) {
                Some("int8") => Some((i8::MIN.into(), i8::MAX as u128)),
                Some("int16") => Some((i16::MIN.into(), i16::MAX as u128)),
                Some("int32") => Some((i32::MIN.into(), i32::MAX as u128)),
                Some("int64") => Some((i64::MIN.into(), i64::MAX as u128)),
                Some("uint8") => Some((0, u8::MAX.into())),
                Some("uint16") => Some((0, u16::MAX.into())),
                Some("uint32") => Some((0, u32::MAX.into())),
                Some("uint64") => Some((0, u64::MAX.into())),
                _ => None,
            };
            if let Some((lo, hi)) = bounds {
                if !m.contains_key("minimum")
                    && let Ok(lo) = i64::try_from(lo)
                {
                    m.insert("minimum".into(), Value::from(lo));
                }
                if !m.contains_key("maximum")
                    && let Ok(hi) = u64::try_from(hi)
                {
                    m.insert("maximum".into(), Value::from(hi));
                }
            }
            for (_, c) in m.iter_mut() {
                integer_bounds(c);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(integer_bounds),
        _ => {}
    }
}

/// `v` itself, or what its `$ref` (`#/components/schemas/X`, any JSON pointer into `doc`) names.
pub fn resolve_ref<'a>(
    doc: &'a serde_json::Value,
    v: &'a serde_json::Value,
) -> &'a serde_json::Value {
    match v.get("$ref").and_then(serde_json::Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(v),
        None => v,
    }
}

fn merge_in(v: &mut serde_json::Value, doc: &serde_json::Value) {
    use serde_json::{Map, Value};
    match v {
        Value::Object(m) => {
            for (_, child) in m.iter_mut() {
                merge_in(child, doc);
            }
            let Some(Value::Array(parts)) = m.get("allOf") else {
                return;
            };
            let parts: Vec<Value> = parts.iter().map(|p| resolve_ref(doc, p).clone()).collect();
            let objects = parts.iter().all(|p| {
                p.get("properties").is_some()
                    && p.get("allOf").is_none()
                    && p.get("oneOf").is_none()
            });
            let closed = parts
                .iter()
                .any(|p| p.get("additionalProperties") == Some(&Value::Bool(false)));
            if !objects || !closed {
                return;
            }
            let mut props = Map::new();
            let mut required: Vec<Value> = Vec::new();
            for p in &parts {
                if let Some(Value::Object(ps)) = p.get("properties") {
                    for (k, s) in ps {
                        props.entry(k.clone()).or_insert_with(|| s.clone());
                    }
                }
                if let Some(Value::Array(r)) = p.get("required") {
                    for x in r {
                        if !required.contains(x) {
                            required.push(x.clone());
                        }
                    }
                }
            }
            m.remove("allOf");
            m.insert("type".into(), Value::from("object"));
            m.insert("properties".into(), Value::Object(props));
            if !required.is_empty() {
                m.insert("required".into(), Value::Array(required));
            }
            m.insert("additionalProperties".into(), Value::Bool(false));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| merge_in(x, doc)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(serde::Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Opts {
        width: u32,
    }

    #[derive(serde::Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Out {
        format: Option<String>,
    }

    #[derive(serde::Deserialize, utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Req {
        data: Option<String>,
        #[serde(flatten)]
        opts: Opts,
        #[serde(flatten)]
        out: Out,
    }

    #[derive(utoipa::OpenApi)]
    #[openapi(components(schemas(Req, Opts, Out)))]
    struct Api;

    #[test]
    fn flattened_closed_objects_become_one_object_a_generator_can_satisfy() {
        let v = to_json(&Api::openapi());
        let req = &v["components"]["schemas"]["Req"];
        assert!(req.get("allOf").is_none(), "{req}");
        assert_eq!(req["additionalProperties"], false);
        let props = req["properties"].as_object().unwrap();
        assert!(
            props.contains_key("data")
                && props.contains_key("width")
                && props.contains_key("format")
        );
        assert_eq!(req["required"], serde_json::json!(["width"]));
    }
}
