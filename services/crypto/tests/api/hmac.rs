//! `/api/v1/crypto/hmac`, `/hmac/verify`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn hmac_matches_rfc_4231_and_verifies_in_both_directions() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hmac",
        json!({"algorithm":"sha256","key":"Jefe","data":"what do ya want for nothing?"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mac = v["mac"].as_str().unwrap().to_string();
    assert_eq!(
        mac,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let (_, v) = post(
        &app,
        "/api/v1/crypto/hmac/verify",
        json!({"algorithm":"sha256","key":"Jefe","data":"what do ya want for nothing?","mac":mac}),
    )
    .await;
    assert_eq!(v["valid"], true);
    let (_, v) = post(
        &app,
        "/api/v1/crypto/hmac/verify",
        json!({"algorithm":"sha256","key":"Jeff","data":"what do ya want for nothing?","mac":mac}),
    )
    .await;
    assert_eq!(v["valid"], false);
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hmac",
        json!({"algorithm":"blake3","key":"short","data":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "key");
}
