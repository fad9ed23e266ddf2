//! `/api/v1/crypto/keys/*`: a bad key names its field; agreement and public keys agree.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn a_bad_pem_or_a_key_of_the_wrong_type_names_the_field() {
    let app = app();
    let (s, v) = post(&app, "/api/v1/crypto/sign", json!({"privateKey":"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----","data":"x"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "privateKey");
    let (_, k) = post(
        &app,
        "/api/v1/crypto/keys/generate",
        json!({"type":"x25519"}),
    )
    .await;
    let (s, v) = post(
        &app,
        "/api/v1/crypto/sign",
        json!({"privateKey":k["privateKeyPem"],"data":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "privateKey");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/verify",
        json!({"publicKey":k["publicKeyPem"],"data":"x","signature":"@@"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "signature");
    // Key agreement: both sides derive the same secret.
    let (_, k2) = post(
        &app,
        "/api/v1/crypto/keys/generate",
        json!({"type":"x25519"}),
    )
    .await;
    let (_, a) = post(
        &app,
        "/api/v1/crypto/keys/agree",
        json!({"privateKey":k["privateKeyPem"],"publicKey":k2["publicKeyJwk"]}),
    )
    .await;
    let (_, b) = post(
        &app,
        "/api/v1/crypto/keys/agree",
        json!({"privateKey":k2["privateKeyJwk"],"publicKey":k["publicKeyPem"]}),
    )
    .await;
    assert_eq!(a["sharedSecret"], b["sharedSecret"]);
    let (_, p) = post(
        &app,
        "/api/v1/crypto/keys/public",
        json!({"key":k["privateKeyPem"]}),
    )
    .await;
    assert_eq!(p["publicKeyPem"], k["publicKeyPem"]);
}
