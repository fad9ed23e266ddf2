//! `POST /api/v1/crypto/encrypt`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::cipher::{self, Argon2Params, CipherAlgorithm, KdfLimits, KeySource};
use crate::encoding::{InputEncoding, decode, to_b64};

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

pub(crate) fn key_source(
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
    responses((status = 200, description = "The token and its parts", body = EncryptResponse)))]
pub async fn encrypt(State(st): State<SharedState>, payload: Payload<EncryptRequest>) -> Response {
    let limits = st.config.kdf;
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "encrypt"), move |r| {
            encrypt_one(&limits, r)
        })
        .await
}
