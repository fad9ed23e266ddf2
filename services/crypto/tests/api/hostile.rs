//! Hostile input: whatever arrives, every operation answers 200, 400, 413, 415 or 422 in the
//! envelope, never a 500 and never a crash.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::{app, send};

const OPS: &[&str] = &[
    "hash",
    "hmac",
    "hmac/verify",
    "encrypt",
    "decrypt",
    "legacy/decrypt",
    "legacy/encrypt",
    "keys/generate",
    "keys/public",
    "keys/agree",
    "sign",
    "verify",
    "jwt/sign",
    "jwt/verify",
    "jwt/decode",
    "random/bytes",
    "random/uuid",
    "random/password",
    "random/token",
    "password/verify",
    "kdf/hkdf",
    "totp/code",
    "totp/verify",
    "webhook/verify",
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn check(status: StatusCode, body: &Value, what: &str) {
    assert!(
        [200, 400, 413, 415, 422].contains(&status.as_u16()),
        "{what}: status {status}: {body}"
    );
    if status != StatusCode::OK {
        assert!(
            body["error"]["code"].is_string(),
            "{what}: no envelope: {body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}"
        );
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,40}".prop_map(Value::from),
        Just(json!(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
        )),
        Just(json!("ff1.e30.AAAA.AAAA")),
        Just(json!("eyJhbGciOiJub25lIn0.e30.")),
        Just(json!("sha256")),
        Just(json!("base64")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z]{1,8}",
                    Just("algorithm".to_string()),
                    Just("data".to_string()),
                    Just("key".to_string()),
                    Just("token".to_string()),
                    Just("items".to_string()),
                    Just("publicKey".to_string()),
                    Just("privateKey".to_string()),
                    Just("secret".to_string()),
                    Just("claims".to_string()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn random_json_never_gets_a_500(op in 0..OPS.len(), body in any_json()) {
        let rt = runtime();
        let app = app();
        let path = format!("/api/v1/crypto/{}", OPS[op]);
        let req = Request::post(&path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (s, _, v) = rt.block_on(send(&app, req));
        check(s, &v, &format!("{path} {body}"));
    }

    #[test]
    fn random_bytes_never_get_a_500(op in 0..OPS.len(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let rt = runtime();
        let app = app();
        let path = format!("/api/v1/crypto/{}", OPS[op]);
        let req = Request::post(&path)
            .header("content-type", "application/json")
            .body(Body::from(bytes))
            .unwrap();
        let (s, _, v) = rt.block_on(send(&app, req));
        check(s, &v, &path);
    }

    #[test]
    fn well_formed_requests_with_hostile_strings_never_get_a_500(s in "[ -~]{0,64}", b in "[A-Za-z0-9+/=_.-]{0,64}") {
        let rt = runtime();
        let app = app();
        let cases = [
            ("decrypt", json!({"token": b, "passphrase": s})),
            ("decrypt", json!({"algorithm":"aes-256-gcm","key": b, "nonce": b, "ciphertext": b})),
            ("jwt/verify", json!({"token": b, "secret": s})),
            ("jwt/decode", json!({"token": s})),
            ("verify", json!({"publicKey": s, "data": s, "signature": b})),
            ("keys/public", json!({"key": {"kty":"RSA","n": b, "e": b}})),
            ("keys/public", json!({"key": {"kty":"EC","crv":"P-256","x": b, "y": b}})),
            ("password/verify", json!({"password": s, "hash": format!("$argon2id$v=19$m=64,t=1,p=1${b}")})),
            ("password/verify", json!({"password": s, "hash": format!("$2b$04${b}")})),
            ("legacy/decrypt", json!({"data": b, "passphrase": s})),
            ("legacy/decrypt", json!({"format":"aes-gcm","data": b, "key": b, "iv": b})),
            ("webhook/verify", json!({"provider":"stripe","secret": s, "payload": s, "signature": s})),
            ("totp/verify", json!({"secret": b, "code": s})),
        ];
        for (op, body) in cases {
            let path = format!("/api/v1/crypto/{op}");
            let req = Request::post(&path)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            let (st, _, v) = rt.block_on(send(&app, req));
            check(st, &v, &format!("{path} {body}"));
        }
    }
}
