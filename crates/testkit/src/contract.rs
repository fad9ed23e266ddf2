//! The contract suite: walks a service's own OpenAPI document (as it serves it at
//! `/openapi.json`) and checks every operation against what the service really does, so a new
//! operation cannot skip it:
//!
//! - the documented example request answers 2xx, with a body that matches the documented
//!   response schema (JSON) or the documented media type (files);
//! - malformed JSON, an unknown field and a wrong Content-Type each answer the error envelope
//!   naming the field (`body`, the unknown field, `Content-Type`);
//! - every error body met has the documented error example's shape and code, and its message
//!   names no Rust type (`f64`, `u32`, `usize`, `Vec`, `struct`, `variant`);
//! - every operation carries the kit's documented error answers, a security requirement and an
//!   operation id that follows its URL.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Map, Value, json};

use flowforge_kit::openapi::resolve_ref as resolve;

use crate::call;

/// What went wrong, one line per finding; empty when the service keeps its contract.
pub type Findings = Vec<String>;

/// Check every operation of the service behind `app` whose path starts with `prefix`
/// (`/api/v1/crypto/`). Returns the findings (the caller asserts they are empty, so a failure
/// lists them all at once).
pub async fn check(app: &Router, prefix: &str) -> Findings {
    let (status, _, body) = call(app, get("/openapi.json")).await;
    let mut out = Findings::new();
    if status != StatusCode::OK {
        out.push(format!("/openapi.json answered {status}"));
        return out;
    }
    let doc: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            out.push(format!("/openapi.json is not JSON: {e}"));
            return out;
        }
    };
    let documented_400 = doc
        .pointer("/components/responses/BadRequest/content/application~1json/example")
        .cloned();
    let Some(paths) = doc["paths"].as_object() else {
        out.push("the document has no paths".into());
        return out;
    };
    let mut seen = 0;
    for (path, item) in paths {
        if !path.starts_with(prefix) {
            continue;
        }
        let Some(op) = item.get("post") else {
            continue;
        };
        seen += 1;
        check_operation(app, &doc, path, op, documented_400.as_ref(), &mut out).await;
    }
    if seen == 0 {
        out.push(format!("no operation under {prefix}"));
    }
    out
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap_or_default()
}

fn post(path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap_or_default()
}

/// The documented example request: the media type's `example`, else the schema's.
fn example_request(doc: &Value, op: &Value) -> Option<Value> {
    let media = op.pointer("/requestBody/content/application~1json")?;
    if let Some(e) = media.get("example") {
        return Some(e.clone());
    }
    let schema = resolve(doc, media.get("schema")?);
    schema.get("example").cloned()
}

/// Words that name Rust types in a message a user reads.
const RUST_WORDS: &[&str] = &[
    "f64", "f32", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "Vec", "struct", "variant", "Option<", "String", "serde",
];

/// Findings about one error body: the envelope's shape, the documented example's keys and code
/// for its status, a field named, and no Rust type names in the message.
fn check_envelope(
    what: &str,
    status: StatusCode,
    v: &Value,
    field: Option<&str>,
    documented_400: Option<&Value>,
    out: &mut Findings,
) {
    let Some(e) = v.get("error").and_then(Value::as_object) else {
        out.push(format!(
            "{what}: answered {status} without the error envelope: {v}"
        ));
        return;
    };
    for k in ["code", "message", "details"] {
        if !e.contains_key(k) {
            out.push(format!("{what}: the envelope has no `{k}`: {v}"));
        }
    }
    let code = e.get("code").and_then(Value::as_str).unwrap_or("");
    let want = match status.as_u16() {
        400 | 422 => "VALIDATION_ERROR",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        _ => code,
    };
    if code != want {
        out.push(format!(
            "{what}: status {status} with code {code}, expected {want}"
        ));
    }
    if status == StatusCode::BAD_REQUEST
        && let Some(doc_example) = documented_400
            .and_then(|d| d.get("error"))
            .and_then(Value::as_object)
    {
        let mut got: Vec<&String> = e.keys().filter(|k| *k != "requestId").collect();
        let mut documented: Vec<&String> =
            doc_example.keys().filter(|k| *k != "requestId").collect();
        got.sort();
        documented.sort();
        if got != documented {
            out.push(format!(
                "{what}: the 400 body's keys {got:?} differ from the documented example's {documented:?}"
            ));
        }
    }
    let message = e.get("message").and_then(Value::as_str).unwrap_or("");
    for w in RUST_WORDS {
        let hit = message
            .split(|c: char| !(c.is_alphanumeric() || c == '<' || c == '_'))
            .any(|t| t == *w || (w.ends_with('<') && t.starts_with(w)));
        if hit {
            out.push(format!(
                "{what}: the message names the Rust type `{w}`: {message}"
            ));
        }
    }
    if let Some(f) = field {
        let named = e
            .get("details")
            .and_then(Value::as_array)
            .is_some_and(|d| d.iter().any(|x| x["field"] == f));
        if !named || !message.contains(f) {
            out.push(format!(
                "{what}: expected the message and details to name `{f}`: {v}"
            ));
        }
    }
}

async fn check_operation(
    app: &Router,
    doc: &Value,
    path: &str,
    op: &Value,
    documented_400: Option<&Value>,
    out: &mut Findings,
) {
    // The kit's part of the document.
    let want_id = flowforge_kit::openapi::operation_id(path);
    if op["operationId"] != want_id.as_str() {
        out.push(format!(
            "{path}: operationId {} is not {want_id}",
            op["operationId"]
        ));
    }
    if op.get("security").is_none() {
        out.push(format!("{path}: no security requirement"));
    }
    for status in [
        "400", "401", "413", "415", "422", "429", "500", "503", "504",
    ] {
        if op.pointer(&format!("/responses/{status}")).is_none() {
            out.push(format!("{path}: the {status} answer is not documented"));
        }
    }
    // The documented example answers 2xx with the documented shape.
    let Some(example) = example_request(doc, op) else {
        out.push(format!("{path}: no example request"));
        return;
    };
    let body = example.to_string().into_bytes();
    let (status, headers, bytes) = call(app, post(path, "application/json", body.clone())).await;
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !status.is_success() {
        out.push(format!(
            "{path}: the documented example answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    } else if let Some(r) = op.pointer(&format!("/responses/{}", status.as_u16())) {
        let r = resolve(doc, r);
        check_success(doc, path, r, &ctype, &bytes, out);
    } else {
        out.push(format!(
            "{path}: answered {status}, which is not documented"
        ));
    }
    // Malformed JSON.
    let (s, _, b) = call(app, post(path, "application/json", b"{\"".to_vec())).await;
    let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
    if s != StatusCode::BAD_REQUEST {
        out.push(format!("{path}: malformed JSON answered {s}, expected 400"));
    }
    check_envelope(
        &format!("{path} (malformed JSON)"),
        s,
        &v,
        Some("body"),
        documented_400,
        out,
    );
    // An unknown field.
    if let Value::Object(mut m) = example.clone() {
        m.insert("unknownFieldXyz".into(), json!(1));
        let (s, _, b) = call(
            app,
            post(
                path,
                "application/json",
                Value::Object(m).to_string().into_bytes(),
            ),
        )
        .await;
        let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
        if s != StatusCode::BAD_REQUEST {
            out.push(format!(
                "{path}: an unknown field answered {s}, expected 400: {v}"
            ));
        } else {
            check_envelope(
                &format!("{path} (unknown field)"),
                s,
                &v,
                Some("unknownFieldXyz"),
                documented_400,
                out,
            );
        }
    }
    // A wrong Content-Type: the example sent as text answers the envelope (415, or 400 where the
    // operation also reads raw bodies and names what it needs then).
    let (s, _, b) = call(app, post(path, "text/plain", body)).await;
    let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
    if s.is_success() || !(s == StatusCode::UNSUPPORTED_MEDIA_TYPE || s == StatusCode::BAD_REQUEST)
    {
        out.push(format!(
            "{path}: text/plain answered {s}, expected 415 (or 400): {v}"
        ));
    } else {
        // A 415 names `Content-Type`, or `body` where the operation reads raw files and the
        // bytes are not one.
        check_envelope(
            &format!("{path} (text/plain)"),
            s,
            &v,
            None,
            documented_400,
            out,
        );
        let named = v["error"]["details"]
            .as_array()
            .is_some_and(|d| !d.is_empty() && d.iter().all(|x| x["field"].is_string()));
        if !named {
            out.push(format!("{path} (text/plain): no field named: {v}"));
        }
    }
}

/// A success body against its documented response: JSON validated against the schema, a file
/// against the documented media type.
fn check_success(
    doc: &Value,
    path: &str,
    r: &Value,
    ctype: &str,
    bytes: &[u8],
    out: &mut Findings,
) {
    let Some(content) = r.get("content").and_then(Value::as_object) else {
        return;
    };
    let essence = ctype.split(';').next().unwrap_or("").trim();
    let documented = content.keys().any(|k| {
        k == essence
            || k.strip_suffix("/*")
                .is_some_and(|main| essence.starts_with(&format!("{main}/")))
    });
    if !documented {
        out.push(format!(
            "{path}: answered Content-Type {ctype}, documented {:?}",
            content.keys().collect::<Vec<_>>()
        ));
        return;
    }
    let Some(schema) = content.get(essence).and_then(|m| m.get("schema")) else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        out.push(format!("{path}: the answer is not JSON"));
        return;
    };
    let mut root = Map::new();
    root.insert("$ref".into(), Value::from("#/$defs/__answer"));
    let mut defs = Map::new();
    defs.insert("__answer".into(), schema.clone());
    root.insert("$defs".into(), Value::Object(defs));
    root.insert("components".into(), doc["components"].clone());
    let root = Value::Object(root);
    match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
    {
        Ok(v) => {
            for e in v.iter_errors(&value) {
                out.push(format!(
                    "{path}: the answer does not match its documented schema at {}: {e}",
                    e.instance_path()
                ));
            }
        }
        Err(e) => out.push(format!(
            "{path}: the documented response schema does not compile: {e}"
        )),
    }
}
