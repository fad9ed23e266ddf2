//! The error bodies users read (an n8n node shows `error.message` alone), pinned as inline
//! snapshots with the request id redacted: a change of wording shows in review.

use serde_json::{Value, json};

use crate::support::*;

async fn error_of(path: &str, body: Value) -> Value {
    let (_, v) = post(&app_with(&[]), path, body).await;
    v
}

macro_rules! pin {
    ($v:expr, @$snap:literal) => {
        insta::assert_json_snapshot!($v, {".error.requestId" => "[id]"}, @$snap)
    };
}

#[tokio::test]
async fn an_unknown_algorithm_lists_the_accepted_ones() {
    pin!(error_of("/api/v1/crypto/hash", json!({"algorithm":"sha265","data":"x"})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "algorithm: unknown value \"sha265\"; expected one of md5, sha1, sha224, sha256, sha384, sha512, sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, blake2b-512, blake2s-256, blake3",
        "details": [
          {
            "field": "algorithm",
            "message": "unknown value \"sha265\"; expected one of md5, sha1, sha224, sha256, sha384, sha512, sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, blake2b-512, blake2s-256, blake3"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn a_mistyped_field_says_what_was_expected() {
    pin!(error_of("/api/v1/crypto/random/bytes", json!({"length":"32"})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "length: got string \"32\"; expected a whole number, 0 or more",
        "details": [
          {
            "field": "length",
            "message": "got string \"32\"; expected a whole number, 0 or more"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn a_wrong_passphrase_is_rejected_not_an_internal_error() {
    pin!(error_of("/api/v1/crypto/decrypt", json!({"passphrase":"wrong","token":"ff1.eyJhbGciOiJhZXMtMjU2LWdjbSIsImtkZiI6ImFyZ29uMmlkIiwibSI6MTk0NTYsInQiOjIsInAiOjEsInNhbHQiOiI2RUpnZ0NGMzJZdVNxSnhJdnQ4anZnIn0.QOLiy_0LRguf2-A2.En5fwT7MR9Baf6w3AVnNZdPp-lVE9A"})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "token: decryption failed: the key or passphrase is wrong, the associated data differs, or the data was altered",
        "details": [
          {
            "field": "token",
            "message": "decryption failed: the key or passphrase is wrong, the associated data differs, or the data was altered"
          }
        ]
      }
    }
    "#);
}
