//! `POST /encrypt`, `POST /decrypt`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Errors, respond};
use crate::cipher::{self, Argon2Params, CipherAlgorithm, KdfLimits, KeySource, Sealed};
use crate::encoding::{InputEncoding, b64, decode, to_b64};
use crate::state::SharedState;

/// Encrypt with a raw key or a passphrase.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"aes-256-gcm","passphrase":"pw","plaintext":"secret"}))]
pub struct EncryptRequest {
    /// The cipher (default `aes-256-gcm`).
    #[serde(default = "default_alg")]
    pub algorithm: CipherAlgorithm,
    /// A raw 32-byte key, written as `keyEncoding` says (base64 by default). Give `key` or `passphrase`.
    #[serde(default)]
    pub key: Option<String>,
    /// How `key` is written (default `base64`).
    #[serde(default = "b64_default")]
    pub key_encoding: InputEncoding,
    /// A passphrase, stretched with Argon2id (parameters recorded in the token).
    #[serde(default)]
    pub passphrase: Option<String>,
    /// Argon2id cost for a passphrase (default m=19456 KiB, t=2, p=1).
    #[serde(default)]
    pub kdf: Option<Argon2Params>,
    /// The data to encrypt.
    pub plaintext: String,
    /// How `plaintext` is written (default `utf8`).
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// Associated data: authenticated, not encrypted; the same must be given to decrypt.
    #[serde(default)]
    pub aad: Option<String>,
    /// How `aad` is written (default `utf8`).
    #[serde(default)]
    pub aad_encoding: InputEncoding,
}

fn default_alg() -> CipherAlgorithm {
    CipherAlgorithm::Aes256Gcm
}

pub(crate) fn b64_default() -> InputEncoding {
    InputEncoding::Base64
}

/// Key-derivation parameters as returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct KdfInfo {
    /// Always `argon2id`.
    pub name: &'static str,
    /// Memory in KiB.
    pub m: u32,
    /// Iterations.
    pub t: u32,
    /// Parallelism.
    pub p: u32,
    /// The salt, base64.
    pub salt: String,
}

/// The encrypted message: one token, and its parts for other libraries.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"token":"ff1.eyJhbGciOiJhZXMtMjU2LWdjbSJ9.q83vEjRWeJCrze8S.3q2-7w4SF7GfB2zJ4m1WJ0hWf3E1Qm9i","algorithm":"aes-256-gcm","nonce":"q83vEjRWeJCrze8S","ciphertext":"3q2+7w4S","tag":"F7GfB2zJ4m1WJ0hWf3E1Qm9i","encoding":"base64","kdf":null}))]
pub struct EncryptResponse {
    /// The self-describing token (`ff1.<header>.<nonce>.<ciphertext‖tag>`); give it to /decrypt.
    pub token: String,
    /// The cipher.
    pub algorithm: CipherAlgorithm,
    /// The nonce (IV), base64.
    pub nonce: String,
    /// The ciphertext without the tag, base64.
    pub ciphertext: String,
    /// The 16-byte authentication tag, base64.
    pub tag: String,
    /// Encoding of `nonce`, `ciphertext` and `tag` (always `base64`).
    pub encoding: &'static str,
    /// Argon2id parameters and salt, when a passphrase was used.
    pub kdf: Option<KdfInfo>,
}

fn key_source(
    key: Option<String>,
    enc: InputEncoding,
    passphrase: Option<String>,
) -> Result<KeySource, ApiError> {
    match (key, passphrase) {
        (Some(k), None) => Ok(KeySource::Raw(decode("key", &k, enc)?)),
        (None, Some(p)) => Ok(KeySource::Passphrase(p)),
        (Some(_), Some(_)) => Err(ApiError::field(
            "passphrase",
            "give either `key` or `passphrase`, not both",
        )),
        (None, None) => Err(ApiError::field(
            "key",
            "is required: give `key` (a 32-byte key, base64) or `passphrase`",
        )),
    }
}

fn encrypt_one(limits: &KdfLimits, r: EncryptRequest) -> Result<EncryptResponse, ApiError> {
    let key = key_source(r.key, r.key_encoding, r.passphrase)?;
    let plaintext = decode("plaintext", &r.plaintext, r.input_encoding)?;
    let aad = match &r.aad {
        Some(a) => decode("aad", a, r.aad_encoding)?,
        None => Vec::new(),
    };
    let s = cipher::encrypt(
        r.algorithm,
        &key,
        &r.kdf.unwrap_or_default(),
        limits,
        &plaintext,
        &aad,
    )?;
    Ok(EncryptResponse {
        token: s.token(),
        algorithm: s.alg,
        nonce: to_b64(&s.nonce),
        ciphertext: to_b64(&s.ciphertext),
        tag: to_b64(&s.tag),
        encoding: "base64",
        kdf: s.kdf.map(|(p, salt)| KdfInfo {
            name: "argon2id",
            m: p.m,
            t: p.t,
            p: p.p,
            salt: to_b64(&salt),
        }),
    })
}

/// Encrypt with AES-256-GCM, ChaCha20-Poly1305 or XChaCha20-Poly1305 (one, or a batch under `items`).
#[utoipa::path(post, path = "/api/v1/crypto/encrypt", tag = "crypto",
    request_body = EncryptRequest,
    responses((status = 200, description = "The token and its parts", body = EncryptResponse), Errors))]
pub async fn encrypt(State(st): State<SharedState>, payload: Payload<EncryptRequest>) -> Response {
    let limits = st.limits.kdf;
    respond(&st, true, "encrypt", payload, move |r| {
        encrypt_one(&limits, r)
    })
    .await
}

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
#[schema(example = json!({"passphrase":"pw","token":"ff1.eyJhbGciOiJhZXMtMjU2LWdjbSIsImtkZiI6ImFyZ29uMmlkIiwibSI6MTk0NTYsInQiOjIsInAiOjEsInNhbHQiOiIuLi4ifQ.q83vEjRWeJCrze8S.3q2-7w4S"}))]
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
    responses((status = 200, description = "The plaintext", body = DecryptResponse), Errors))]
pub async fn decrypt(State(st): State<SharedState>, payload: Payload<DecryptRequest>) -> Response {
    let limits = st.limits.kdf;
    respond(&st, true, "decrypt", payload, move |r| {
        decrypt_one(&limits, r)
    })
    .await
}
