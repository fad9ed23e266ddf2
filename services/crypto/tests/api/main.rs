//! API tests: the crypto router behind the real kit stack, driven in-process.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod cipher;
mod contract;
mod hash;
mod hostile;
mod ops;
mod wycheproof;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

/// The crypto service behind the kit, configured by `vars`.
pub fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_crypto::service, flowforge_crypto::PORT, vars)
}

/// The crypto service with default configuration.
pub fn app() -> Router {
    app_with(&[])
}

/// Send a request and return the status, headers and JSON body (Null when not JSON).
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let (status, headers, bytes) = flowforge_testkit::call(app, req).await;
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, json)
}

/// POST JSON to `path`.
pub async fn post(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let (s, _, v) = send(app, req).await;
    (s, v)
}

/// Assert an error envelope with `code` whose first detail names `field`.
#[track_caller]
pub fn assert_envelope(body: &Value, code: &str, field: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    let details = body["error"]["details"].as_array().expect("details");
    assert!(
        details.iter().any(|d| d["field"] == field),
        "no detail names {field}: {body}"
    );
    let msg = body["error"]["message"].as_str().expect("message");
    assert!(msg.contains(field), "message does not name {field}: {msg}");
}
