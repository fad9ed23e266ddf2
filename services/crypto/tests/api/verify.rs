//! `/api/v1/crypto/verify`: a signature that does not match is `valid: false`, not an error;
//! a malformed one names the field.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn a_signature_that_does_not_match_is_false_and_a_malformed_one_names_the_field() {
    let app = app();
    let (_, k) = post(
        &app,
        "/api/v1/crypto/keys/generate",
        json!({"type":"ed25519"}),
    )
    .await;
    let (s, sig) = post(
        &app,
        "/api/v1/crypto/sign",
        json!({"privateKey":k["privateKeyPem"],"data":"pay 10"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{sig}");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/verify",
        json!({"publicKey":k["publicKeyPem"],"data":"pay 10","signature":sig["signature"]}),
    )
    .await;
    assert_eq!(
        (s, v["valid"].clone()),
        (StatusCode::OK, json!(true)),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/crypto/verify",
        json!({"publicKey":k["publicKeyPem"],"data":"pay 1000","signature":sig["signature"]}),
    )
    .await;
    assert_eq!(
        (s, v["valid"].clone()),
        (StatusCode::OK, json!(false)),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/crypto/verify",
        json!({"publicKey":k["publicKeyPem"],"data":"x","signature":"@@"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "signature");
}
