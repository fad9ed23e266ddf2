//! `/api/v1/crypto/sign`: keys made here sign, and verify, in every key type.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn keys_generate_as_pem_and_jwk_and_sign_and_verify_round_trip() {
    let app = app();
    for (t, extra) in [
        ("ed25519", json!({})),
        ("p256", json!({"format":"raw"})),
        ("p384", json!({})),
        ("rsa", json!({"scheme":"pss","hash":"sha512"})),
    ] {
        let (s, k) = post(&app, "/api/v1/crypto/keys/generate", json!({"type":t})).await;
        assert_eq!(s, StatusCode::OK, "{k}");
        assert!(
            k["privateKeyPem"]
                .as_str()
                .unwrap()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert!(k["publicKeyJwk"]["kty"].is_string());
        let mut req = json!({"privateKey":k["privateKeyJwk"],"data":"hello"});
        let mut ver = json!({"publicKey":k["publicKeyPem"],"data":"hello"});
        for (name, v) in extra.as_object().unwrap() {
            req[name] = v.clone();
            ver[name] = v.clone();
        }
        let (s, sig) = post(&app, "/api/v1/crypto/sign", req).await;
        assert_eq!(s, StatusCode::OK, "{t}: {sig}");
        ver["signature"] = sig["signature"].clone();
        let (_, v) = post(&app, "/api/v1/crypto/verify", ver.clone()).await;
        assert_eq!(v["valid"], true, "{t}");
        ver["data"] = json!("hellO");
        let (_, v) = post(&app, "/api/v1/crypto/verify", ver).await;
        assert_eq!(v["valid"], false, "{t}");
    }
    let (s, k) = post(
        &app,
        "/api/v1/crypto/keys/generate",
        json!({"type":"aes","bits":128}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(k["keyHex"].as_str().unwrap().len(), 32);
    let (s, v) = post(
        &app,
        "/api/v1/crypto/keys/generate",
        json!({"type":"rsa","bits":1024}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "bits");
    let (s, v) = post(&app, "/api/v1/crypto/keys/generate", json!({"type":"dsa"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "type");
}
