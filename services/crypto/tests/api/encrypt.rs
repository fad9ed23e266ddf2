//! `/api/v1/crypto/encrypt`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn a_passphrase_round_trips_through_the_documented_shapes() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/encrypt",
        json!({"algorithm":"aes-256-gcm","passphrase":"pw","plaintext":"secret"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    assert_eq!(v["kdf"]["name"], "argon2id");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/decrypt",
        json!({"passphrase":"pw","token":token}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"plaintext":"secret","encoding":"utf8"}));
}

#[tokio::test]
async fn a_key_of_the_wrong_length_or_both_secrets_name_the_field() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/encrypt",
        json!({"key":"AAEC","plaintext":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "key");
    let (s, v) = post(&app, "/api/v1/crypto/encrypt", json!({"plaintext":"x"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "key");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/encrypt",
        json!({"algorithm":"aes-128-ecb","key":"AAEC","plaintext":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "algorithm");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/encrypt",
        json!({"passphrase":"pw","plaintext":"x","kdf":{"m":999999999,"t":1,"p":1}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "kdf.m");
}
