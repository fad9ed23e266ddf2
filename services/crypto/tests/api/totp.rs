//! `/api/v1/crypto/totp/*`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn totp_secret_code_and_verify_agree() {
    let app = app();
    let (_, s) = post(
        &app,
        "/api/v1/crypto/totp/secret",
        json!({"account":"ada@example.com","issuer":"ACME"}),
    )
    .await;
    assert!(
        s["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/ACME:ada%40example.com?secret=")
    );
    let (_, c) = post(
        &app,
        "/api/v1/crypto/totp/code",
        json!({"secret":s["secret"],"time":1_000_000}),
    )
    .await;
    let (_, v) = post(
        &app,
        "/api/v1/crypto/totp/verify",
        json!({"secret":s["secret"],"code":c["code"],"time":1_000_030}),
    )
    .await;
    assert_eq!(v, json!({"valid":true,"delta":-1}));
    let (_, v) = post(
        &app,
        "/api/v1/crypto/totp/verify",
        json!({"secret":s["secret"],"code":c["code"],"time":1_000_030,"window":0}),
    )
    .await;
    assert_eq!(v["valid"], false);
    let (s2, v) = post(&app, "/api/v1/crypto/totp/code", json!({"secret":"!!"})).await;
    assert_eq!(s2, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "secret");
    let (s2, v) = post(
        &app,
        "/api/v1/crypto/totp/code",
        json!({"secret":s["secret"],"digits":4}),
    )
    .await;
    assert_eq!(s2, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "digits");
}
