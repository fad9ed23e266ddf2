//! `/api/v1/crypto/kdf/*`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn hkdf_matches_rfc_5869_and_pbkdf2_names_its_limits() {
    let app = app();
    let (_, v) = post(&app, "/api/v1/crypto/kdf/hkdf", json!({"ikm":"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b","ikmEncoding":"hex","salt":"000102030405060708090a0b0c","saltEncoding":"hex","info":"f0f1f2f3f4f5f6f7f8f9","infoEncoding":"hex","length":42})).await;
    assert_eq!(
        v["key"],
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    );
    let (s, v) = post(
        &app,
        "/api/v1/crypto/kdf/hkdf",
        json!({"ikm":"x","length":9000}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "length");
    // RFC 7914 section 11's PBKDF2-HMAC-SHA256 vector.
    let (_, v) = post(
        &app,
        "/api/v1/crypto/kdf/pbkdf2",
        json!({"password":"passwd","salt":"salt","iterations":1,"length":64}),
    )
    .await;
    assert_eq!(
        v["key"],
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
    );
    let (s, v) = post(
        &app,
        "/api/v1/crypto/kdf/pbkdf2",
        json!({"password":"p","salt":"s","iterations":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "iterations");
}
