//! `/api/v1/crypto/decrypt`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn a_wrong_passphrase_or_a_tampered_token_is_a_422_not_a_500() {
    let app = app();
    let (_, v) = post(
        &app,
        "/api/v1/crypto/encrypt",
        json!({"passphrase":"pw","plaintext":"secret","kdf":{"m":64,"t":1,"p":1}}),
    )
    .await;
    let token = v["token"].as_str().unwrap().to_string();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/decrypt",
        json!({"passphrase":"wrong","token":token}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_envelope(&v, "VALIDATION_ERROR", "token");
    let mut t: Vec<char> = token.chars().collect();
    let last = t.len() - 3;
    t[last] = if t[last] == 'A' { 'B' } else { 'A' };
    let tampered: String = t.into_iter().collect();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/decrypt",
        json!({"passphrase":"pw","token":tampered}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/decrypt",
        json!({"passphrase":"pw","token":"garbage"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "token");
}

#[tokio::test]
async fn the_parts_decrypt_like_any_standard_library_would() {
    let app = app();
    let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    for alg in ["aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305"] {
        let (s, v) = post(
            &app,
            "/api/v1/crypto/encrypt",
            json!({"algorithm":alg,"key":key,"plaintext":"hi","aad":"ctx"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, d) = post(&app, "/api/v1/crypto/decrypt", json!({"algorithm":alg,"key":key,"nonce":v["nonce"],"ciphertext":v["ciphertext"],"tag":v["tag"],"aad":"ctx"})).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["plaintext"], "hi");
        let (s, _) = post(
            &app,
            "/api/v1/crypto/decrypt",
            json!({"key":key,"token":v["token"],"aad":"other"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
