//! `/api/v1/crypto/password/*`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn password_hashes_verify_and_bad_hashes_name_the_field() {
    let app = app();
    for alg in ["argon2id", "bcrypt", "scrypt", "pbkdf2-sha256"] {
        let params = json!({"memoryKib":64,"iterations":1,"cost":4,"logN":4,"rounds":1000});
        let (s, h) = post(
            &app,
            "/api/v1/crypto/password/hash",
            json!({"password":"pw","algorithm":alg,"params":params}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{h}");
        let (_, v) = post(
            &app,
            "/api/v1/crypto/password/verify",
            json!({"password":"pw","hash":h["hash"]}),
        )
        .await;
        assert_eq!(v["valid"], true, "{alg}");
        let (_, v) = post(
            &app,
            "/api/v1/crypto/password/verify",
            json!({"password":"pW","hash":h["hash"]}),
        )
        .await;
        assert_eq!(v["valid"], false, "{alg}");
    }
    let (s, v) = post(
        &app,
        "/api/v1/crypto/password/verify",
        json!({"password":"pw","hash":"plaintext"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "hash");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/password/hash",
        json!({"password":"pw","params":{"memoryKb":1}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "params.memoryKb");
}
