//! Test support for the services' API tests: one service behind the real kit stack, built from
//! a map of environment variables, and requests sent to it in-process. A dev-dependency only.

use std::collections::HashMap;
use std::sync::Arc;

pub mod contract;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use flowforge_kit::{App, ConfigError, Context, Service};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// `service` behind the kit (as `flowforge serve` mounts it), configured by `vars` alone.
///
/// # Panics
/// When the configuration is refused: the test set a variable wrong.
pub fn app_with(
    service: fn(&Context) -> Result<Service, ConfigError>,
    port: u16,
    vars: &[(&str, &str)],
) -> Router {
    let env: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let ctx = Context::from_env(Arc::new(env), port).expect("config");
    let svc = service(&ctx).expect("service");
    App::new("test", ctx.config.clone())
        .service(svc)
        .into_router()
}

/// Send `req`; the status, the headers and the body's bytes.
///
/// # Panics
/// When the router or the body fails, which the kit never lets happen.
pub async fn call(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}

/// Send `req`; the status, the Content-Type and the body's bytes.
///
/// # Panics
/// As [`call`].
pub async fn call_typed(app: &Router, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let (s, h, b) = call(app, req).await;
    let ct = h
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (s, ct, b)
}

/// POST `body` with `content_type`; the status, the Content-Type and the body's bytes.
///
/// # Panics
/// As [`call`].
pub async fn send(
    app: &Router,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String, Vec<u8>) {
    let req = Request::post(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .expect("request");
    call_typed(app, req).await
}

/// POST JSON to `path`; the status and the JSON answer (`Null` when the answer is not JSON).
///
/// # Panics
/// As [`call`].
pub async fn post(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let (s, _, b) = send(app, path, "application/json", body.to_string().into_bytes()).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// POST JSON with `Accept: application/json` (so a file-returning operation answers base64
/// JSON): the status and the parsed body (`null` when not JSON).
pub async fn json_call(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|e| panic!("a request to {path}: {e}"));
    let (s, _, b) = call(app, req).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Assert that `v` is the error envelope with `code` and a first detail naming `field`.
///
/// # Panics
/// When it is not.
#[track_caller]
pub fn assert_field(v: &Value, code: &str, field: &str) {
    assert_eq!(v["error"]["code"], code, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], field, "{v}");
}

/// Send `req`; the status, the headers and the JSON answer (`Null` when the answer is not JSON).
///
/// # Panics
/// As [`call`].
pub async fn call_json(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let (status, headers, bytes) = call(app, req).await;
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, json)
}

/// Assert that `body` is the error envelope with `code`, that a detail names `field`, and that
/// the message (all an n8n user sees) names it too.
///
/// # Panics
/// When it is not.
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

/// The contract suite as a test of the service behind `$app` (an expression building its
/// router) for the operations under `$prefix`: one line in each service's API tests.
#[macro_export]
macro_rules! contract_suite {
    ($app:expr, $prefix:literal) => {
        /// Every operation keeps the contract (see `flowforge_testkit::contract`).
        #[tokio::test]
        async fn every_operation_keeps_the_contract() {
            let findings = $crate::contract::check(&$app, $prefix).await;
            assert!(
                findings.is_empty(),
                "{} finding(s):\n{}",
                findings.len(),
                findings.join("\n")
            );
        }
    };
}
