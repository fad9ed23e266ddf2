//! `/api/v1/crypto/webhook/verify`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn webhooks_verify_from_headers_as_n8n_passes_them() {
    let app = app();
    let (_, v) = post(&app, "/api/v1/crypto/webhook/verify", json!({"provider":"github","secret":"It's a Secret to Everybody","payload":"Hello, World!","headers":{"X-Hub-Signature-256":"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}})).await;
    assert_eq!(v, json!({"valid":true,"provider":"github"}));
    let (_, v) = post(&app, "/api/v1/crypto/webhook/verify", json!({"provider":"github","secret":"nope","payload":"Hello, World!","signature":"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"})).await;
    assert_eq!(v["valid"], false);
    assert!(v["reason"].is_string());
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"slack","secret":"x","payload":"p","signature":"v0=00"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "timestamp");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"paypal","secret":"x","payload":"p"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "provider");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"stripe","secret":"x","payload":"p"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "signature");
}
