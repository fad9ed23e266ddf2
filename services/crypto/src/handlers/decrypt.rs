//! `POST /api/v1/crypto/decrypt`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use super::encrypt::{b64_default, key_source};
use crate::cipher::{self, CipherAlgorithm, KdfLimits, Sealed};
use crate::encoding::{InputEncoding, b64, decode, to_b64};

flowforge_kit::wire_enum! {
    /// How plaintext is written in the answer.
    #[derive(Default)]
    pub enum PlainEncoding {
        /// UTF-8 text (the default); bytes that are not UTF-8 come back as base64, said in `encoding`.
        #[default]
        Utf8 = "utf8" | "utf-8" | "text",
        /// Base64.
        Base64 = "base64",
        /// Hex.
        Hex = "hex",
    }
}

/// Decrypt a token, or separate parts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"passphrase": "pw", "token": "ff1.eyJhbGciOiJhZXMtMjU2LWdjbSIsImtkZiI6ImFyZ29uMmlkIiwibSI6MTk0NTYsInQiOjIsInAiOjEsInNhbHQiOiI2RUpnZ0NGMzJZdVNxSnhJdnQ4anZnIn0.QOLiy_0LRguf2-A2.En5fwT7MR9Baf6w3AVnNZdPp-lVE9A"}))]
pub struct DecryptRequest {
    /// The token from /encrypt. Or give `algorithm`, `nonce`, `ciphertext` and `tag`.
    #[serde(default)]
    pub token: Option<String>,
    /// A raw 32-byte key (base64 by default).
    #[serde(default)]
    pub key: Option<String>,
    /// How `key` is written (default `base64`).
    #[serde(default = "b64_default")]
    pub key_encoding: InputEncoding,
    /// The passphrase the token was made with.
    #[serde(default)]
    pub passphrase: Option<String>,
    /// Associated data given at encryption.
    #[serde(default)]
    pub aad: Option<String>,
    /// How `aad` is written (default `utf8`).
    #[serde(default)]
    pub aad_encoding: InputEncoding,
    /// With parts: the cipher.
    #[serde(default)]
    pub algorithm: Option<CipherAlgorithm>,
    /// With parts: the nonce, base64.
    #[serde(default)]
    pub nonce: Option<String>,
    /// With parts: the ciphertext, base64 (with or without the tag appended).
    #[serde(default)]
    pub ciphertext: Option<String>,
    /// With parts: the tag, base64 (omit when appended to `ciphertext`).
    #[serde(default)]
    pub tag: Option<String>,
    /// How to write the plaintext (default `utf8`).
    #[serde(default)]
    pub encoding: PlainEncoding,
}

/// The plaintext.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"plaintext":"secret","encoding":"utf8"}))]
pub struct DecryptResponse {
    /// The decrypted data.
    pub plaintext: String,
    /// How `plaintext` is written.
    pub encoding: PlainEncoding,
}

/// Write decrypted bytes as asked; bytes that are not UTF-8 fall back to base64 (never lost).
pub(crate) fn plain_out(bytes: Vec<u8>, enc: PlainEncoding) -> DecryptResponse {
    match enc {
        PlainEncoding::Utf8 => match String::from_utf8(bytes) {
            Ok(s) => DecryptResponse {
                plaintext: s,
                encoding: PlainEncoding::Utf8,
            },
            Err(e) => DecryptResponse {
                plaintext: to_b64(e.as_bytes()),
                encoding: PlainEncoding::Base64,
            },
        },
        PlainEncoding::Base64 => DecryptResponse {
            plaintext: to_b64(&bytes),
            encoding: enc,
        },
        PlainEncoding::Hex => DecryptResponse {
            plaintext: hex::encode(&bytes),
            encoding: enc,
        },
    }
}

fn decrypt_one(limits: &KdfLimits, r: DecryptRequest) -> Result<DecryptResponse, ApiError> {
    let key = key_source(r.key, r.key_encoding, r.passphrase)?;
    let aad = match &r.aad {
        Some(a) => decode("aad", a, r.aad_encoding)?,
        None => Vec::new(),
    };
    let (sealed, field) = match (r.token, r.ciphertext) {
        (Some(t), None) => (Sealed::parse_token(&t)?, "token"),
        (None, Some(ct)) => {
            let alg = r.algorithm.ok_or_else(|| {
                ApiError::field(
                    "algorithm",
                    "is required with `ciphertext`: the cipher used",
                )
            })?;
            let nonce = b64(
                "nonce",
                r.nonce
                    .as_deref()
                    .ok_or_else(|| ApiError::field("nonce", "is required with `ciphertext`"))?,
            )?;
            let mut ct = b64("ciphertext", &ct)?;
            let tag = match r.tag {
                Some(t) => b64("tag", &t)?,
                None if ct.len() >= cipher::TAG_LEN => ct.split_off(ct.len() - cipher::TAG_LEN),
                None => {
                    return Err(ApiError::field(
                        "tag",
                        "is required unless the 16-byte tag is appended to `ciphertext`",
                    ));
                }
            };
            if tag.len() != cipher::TAG_LEN {
                return Err(ApiError::field("tag", "must be 16 bytes"));
            }
            (
                Sealed {
                    alg,
                    nonce,
                    ciphertext: ct,
                    tag,
                    kdf: None,
                },
                "ciphertext",
            )
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "ciphertext",
                "give either `token` or the parts (`ciphertext`, `nonce`, `tag`, `algorithm`), not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::field(
                "token",
                "is required: the `token` from /encrypt (or `ciphertext` with `nonce`, `tag` and `algorithm`)",
            ));
        }
    };
    let pt = cipher::decrypt(&sealed, &key, limits, &aad, field)?;
    Ok(plain_out(pt, r.encoding))
}

/// Decrypt a token from /encrypt, or the separate parts made by any standard library.
/// A wrong key, a wrong passphrase or altered data answers 422, never 500.
#[utoipa::path(post, path = "/api/v1/crypto/decrypt", tag = "crypto",
    request_body = DecryptRequest,
    responses((status = 200, description = "The plaintext", body = DecryptResponse)))]
pub async fn decrypt(State(st): State<SharedState>, payload: Payload<DecryptRequest>) -> Response {
    let limits = st.config.kdf;
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "decrypt"), move |r| {
            decrypt_one(&limits, r)
        })
        .await
}
