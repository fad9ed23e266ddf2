//! The Kong Admin API calls `flowforge keys` makes, checked against a local HTTP server that
//! records them (Kong itself cannot run here).

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use flowforge_gateway::kong_admin::KongAdmin;
use flowforge_gateway::{Consumer, Tier, TierLimits};
use serde_json::{Value, json};

type Log = Arc<Mutex<Vec<(String, String, Value)>>>;

async fn record(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> (StatusCode, String) {
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.lock()
        .unwrap()
        .push((method.to_string(), uri.path().to_string(), v));
    if method == Method::GET && uri.path().ends_with("/plugins") {
        return (
            StatusCode::OK,
            json!({"data":[{"id":"p1","name":"rate-limiting"}]}).to_string(),
        );
    }
    (StatusCode::CREATED, "{}".into())
}

async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let app = Router::new().fallback(record).with_state(log.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

#[tokio::test]
async fn keys_commands_become_these_admin_api_requests() {
    let (url, log) = server().await;
    let admin = KongAdmin::new(&url);
    let tiers = TierLimits::default();
    let c = Consumer {
        id: "c-1".into(),
        name: "acme corp".into(),
        tier: Tier::Free,
        created_at: 0,
    };
    admin.create_consumer(&c, "ff_key1", &tiers).await.unwrap();
    admin.add_key("acme corp", "ff_key2").await.unwrap();
    admin
        .set_tier("acme corp", Tier::Pro, &tiers)
        .await
        .unwrap();
    admin
        .set_tier("acme corp", Tier::Enterprise, &tiers)
        .await
        .unwrap();
    admin.revoke_key("ff_key1").await.unwrap();
    admin.revoke_consumer("acme corp").await.unwrap();
    let got: Vec<(String, String, Value)> = log.lock().unwrap().clone();
    let expected = vec![
        (
            "POST",
            "/consumers",
            json!({"username":"acme corp","custom_id":"c-1"}),
        ),
        (
            "POST",
            "/consumers/acme%20corp/key-auth",
            json!({"key":"ff_key1"}),
        ),
        (
            "POST",
            "/consumers/acme%20corp/plugins",
            json!({"name":"rate-limiting","config":{"policy":"redis","redis":{"host":"redis","port":6379},"fault_tolerant":true,"hide_client_headers":false,"limit_by":"consumer","minute":100,"day":1000}}),
        ),
        (
            "POST",
            "/consumers/acme%20corp/key-auth",
            json!({"key":"ff_key2"}),
        ),
        ("GET", "/consumers/acme%20corp/plugins", Value::Null),
        (
            "PATCH",
            "/plugins/p1",
            json!({"config":{"policy":"redis","redis":{"host":"redis","port":6379},"fault_tolerant":true,"hide_client_headers":false,"limit_by":"consumer","minute":2000,"day":50000}}),
        ),
        ("GET", "/consumers/acme%20corp/plugins", Value::Null),
        ("DELETE", "/plugins/p1", Value::Null),
        ("DELETE", "/key-auths/ff_key1", Value::Null),
        ("DELETE", "/consumers/acme%20corp", Value::Null),
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, (m, p, b)) in got.iter().zip(expected) {
        assert_eq!((g.0.as_str(), g.1.as_str()), (m, p));
        assert_eq!(g.2, b, "{m} {p}");
    }
}

#[tokio::test]
async fn a_kong_error_is_reported_with_the_request_that_failed() {
    let admin = KongAdmin::new("http://127.0.0.1:1");
    let e = admin.revoke_consumer("x").await.unwrap_err();
    assert!(e.contains("DELETE http://127.0.0.1:1/consumers/x"), "{e}");
}
