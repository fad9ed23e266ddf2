//! Each operation beyond hashing and encryption: the documented shape, and bad input answered
//! with the envelope naming the field.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{app, assert_envelope, post};

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

#[tokio::test]
async fn random_values_follow_their_options_and_limits() {
    let app = app();
    let (_, v) = post(&app, "/api/v1/crypto/random/bytes", json!({"length":16})).await;
    assert_eq!(v["bytes"].as_str().unwrap().len(), 32);
    let (s, v) = post(&app, "/api/v1/crypto/random/bytes", json!({"length":65537})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "length");
    let (_, v) = post(
        &app,
        "/api/v1/crypto/random/uuid",
        json!({"version":7,"count":3}),
    )
    .await;
    let u: Vec<&str> = v["uuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(u.len(), 3);
    assert!(u.iter().all(|x| x.as_bytes()[14] == b'7'));
    let (s, v) = post(&app, "/api/v1/crypto/random/uuid", json!({"version":5})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "version");
    let (_, v) = post(
        &app,
        "/api/v1/crypto/random/password",
        json!({"length":16,"symbols":false}),
    )
    .await;
    let pw = v["passwords"][0].as_str().unwrap();
    assert_eq!(pw.len(), 16);
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()));
    let (_, v) = post(&app, "/api/v1/crypto/random/token", json!({})).await;
    assert_eq!(v["tokens"][0].as_str().unwrap().len(), 43);
    let (s, v) = post(&app, "/api/v1/crypto/random/token", json!({"count":1001})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "count");
}

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

#[tokio::test]
async fn totp_secret_code_and_verify_agree() {
    let app = app();
    let (_, s) = post(
        &app,
        "/api/v1/crypto/totp/secret",
        json!({"account":"ada@example.com","issuer":"ACME"}),
    )
    .await;
    assert!(
        s["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/ACME:ada%40example.com?secret=")
    );
    let (_, c) = post(
        &app,
        "/api/v1/crypto/totp/code",
        json!({"secret":s["secret"],"time":1_000_000}),
    )
    .await;
    let (_, v) = post(
        &app,
        "/api/v1/crypto/totp/verify",
        json!({"secret":s["secret"],"code":c["code"],"time":1_000_030}),
    )
    .await;
    assert_eq!(v, json!({"valid":true,"delta":-1}));
    let (_, v) = post(
        &app,
        "/api/v1/crypto/totp/verify",
        json!({"secret":s["secret"],"code":c["code"],"time":1_000_030,"window":0}),
    )
    .await;
    assert_eq!(v["valid"], false);
    let (s2, v) = post(&app, "/api/v1/crypto/totp/code", json!({"secret":"!!"})).await;
    assert_eq!(s2, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "secret");
    let (s2, v) = post(
        &app,
        "/api/v1/crypto/totp/code",
        json!({"secret":s["secret"],"digits":4}),
    )
    .await;
    assert_eq!(s2, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "digits");
}

#[tokio::test]
async fn webhooks_verify_from_headers_as_n8n_passes_them() {
    let app = app();
    let (_, v) = post(&app, "/api/v1/crypto/webhook/verify", json!({"provider":"github","secret":"It's a Secret to Everybody","payload":"Hello, World!","headers":{"X-Hub-Signature-256":"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}})).await;
    assert_eq!(v, json!({"valid":true,"provider":"github"}));
    let (_, v) = post(&app, "/api/v1/crypto/webhook/verify", json!({"provider":"github","secret":"nope","payload":"Hello, World!","signature":"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"})).await;
    assert_eq!(v["valid"], false);
    assert!(v["reason"].is_string());
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"slack","secret":"x","payload":"p","signature":"v0=00"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "timestamp");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"paypal","secret":"x","payload":"p"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "provider");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/webhook/verify",
        json!({"provider":"stripe","secret":"x","payload":"p"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "signature");
}

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
