//! `/api/v1/crypto/legacy/*`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn legacy_formats_decrypt_what_openssl_and_cryptojs_made() {
    let app = app();
    let (s, v) = post(&app, "/api/v1/crypto/legacy/decrypt", json!({"format":"cryptojs","data":"U2FsdGVkX18bMllQi7Hdb4+rTNqU7Lis+B24mw4o4CXUQb2E2jvyItpdbvyve6qX","passphrase":"n8n-key"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["plaintext"], "hello from cryptojs");
    let (_, v) = post(&app, "/api/v1/crypto/legacy/decrypt", json!({"data":"U2FsdGVkX19jVKP33N/3ZdVUIC0FMtyPxNoZXUKw6jc=","passphrase":"pw","kdf":"pbkdf2"})).await;
    assert_eq!(v["plaintext"], "hello world");
    let (_, e) = post(
        &app,
        "/api/v1/crypto/legacy/encrypt",
        json!({"format":"n8n","plaintext":"round trip","passphrase":"k"}),
    )
    .await;
    let (_, v) = post(
        &app,
        "/api/v1/crypto/legacy/decrypt",
        json!({"format":"n8n","data":e["data"],"passphrase":"k"}),
    )
    .await;
    assert_eq!(v["plaintext"], "round trip");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/legacy/decrypt",
        json!({"data":"aGVsbG8=","passphrase":"pw"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/legacy/decrypt",
        json!({"format":"aes-cbc","data":"00","dataEncoding":"hex","key":"0011","iv":"00"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "iv");
    let _: Value = Value::Null;
}
