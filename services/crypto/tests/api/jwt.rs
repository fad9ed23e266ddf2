//! `/api/v1/crypto/jwt/*`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn jwt_sign_verify_decode_with_the_documented_shapes() {
    let app = app();
    let (s, v) = post(&app, "/api/v1/crypto/jwt/sign", json!({"algorithm":"HS256","secret":"s3cret","claims":{"sub":"42","role":"admin"},"expiresIn":60,"issuer":"flowforge"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":token,"secret":"s3cret","issuer":"flowforge"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["claims"]["role"], "admin");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":token,"secret":"wrong"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_envelope(&v, "VALIDATION_ERROR", "token");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":token,"secret":"s3cret","audience":"someone"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_envelope(&v, "VALIDATION_ERROR", "aud");
    let (_, d) = post(&app, "/api/v1/crypto/jwt/decode", json!({"token":token})).await;
    assert_eq!(d["verified"], false);
    assert_eq!(d["claims"]["sub"], "42");
}

#[tokio::test]
async fn an_expired_jwt_says_exp_failed_and_when() {
    let app = app();
    let (_, v) = post(
        &app,
        "/api/v1/crypto/jwt/sign",
        json!({"algorithm":"HS512","secret":"k","claims":{"exp":1000},"iat":false}),
    )
    .await;
    let token = v["token"].clone();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":token,"secret":"k"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_envelope(&v, "VALIDATION_ERROR", "exp");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1970-01-01T00:16:40Z")
    );
    let (s, _) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":token,"secret":"k","clockTimestamp":999}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn jwt_with_keys_and_jwks_and_no_algorithm_confusion() {
    let app = app();
    let (_, k) = post(&app, "/api/v1/crypto/keys/generate", json!({"type":"rsa"})).await;
    let (_, t) = post(&app, "/api/v1/crypto/jwt/sign", json!({"algorithm":"PS256","privateKey":k["privateKeyPem"],"claims":{"sub":"x"},"header":{"kid":"k1"}})).await;
    let mut jwk = k["publicKeyJwk"].clone();
    jwk["kid"] = json!("k1");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":t["token"],"jwks":{"keys":[jwk]}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // An HS256 token "signed" with the RSA public key as its secret is refused.
    let (_, forged) = post(
        &app,
        "/api/v1/crypto/jwt/sign",
        json!({"algorithm":"HS256","secret":k["publicKeyPem"],"claims":{"sub":"x"}}),
    )
    .await;
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/verify",
        json!({"token":forged["token"],"publicKey":k["publicKeyPem"]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/jwt/sign",
        json!({"algorithm":"ES256","secret":"x","claims":{}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "privateKey");
}
