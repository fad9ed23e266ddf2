//! `POST /api/v1/crypto/legacy/decrypt`, `/legacy/encrypt`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use super::decrypt::{DecryptResponse, PlainEncoding, plain_out};
use crate::encoding::{InputEncoding, decode, key_bytes, to_b64};
use crate::legacy::{self, LegacyKdf};

flowforge_kit::wire_enum! {
    /// Which tool made the data.
    #[derive(Default)]
    pub enum LegacyFormat {
        /// `openssl enc` output (`Salted__…`); set `cipher` and `kdf` as it was made.
        #[default]
        Openssl = "openssl",
        /// CryptoJS `AES.encrypt(text, passphrase).toString()`: AES-256-CBC, MD5 key derivation.
        Cryptojs = "cryptojs" | "crypto-js",
        /// n8n's credential encryption (CryptoJS-compatible): AES-256-CBC, MD5 key derivation.
        N8n = "n8n",
        /// Raw AES-CBC (PKCS#7) with `key` and `iv`.
        AesCbc = "aes-cbc",
        /// Raw AES-GCM with `key`, `iv` and `tag` (or the tag appended to `data`).
        AesGcm = "aes-gcm",
    }
}

/// Decrypt what another tool produced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"format":"cryptojs","data":"U2FsdGVkX18bMllQi7Hdb4+rTNqU7Lis+B24mw4o4CXUQb2E2jvyItpdbvyve6qX","passphrase":"n8n-key"}))]
pub struct LegacyDecryptRequest {
    /// `openssl` (default), `cryptojs`, `n8n`, `aes-cbc` or `aes-gcm`.
    #[serde(default)]
    pub format: LegacyFormat,
    /// The encrypted data.
    pub data: String,
    /// How `data` is written (default `base64`, as openssl -base64 and CryptoJS write it).
    #[serde(default = "b64_in")]
    pub data_encoding: InputEncoding,
    /// The passphrase (openssl, cryptojs, n8n).
    #[serde(default)]
    pub passphrase: Option<String>,
    /// openssl: `aes-256-cbc` (default), `aes-192-cbc` or `aes-128-cbc`.
    #[serde(default)]
    pub cipher: Option<String>,
    /// openssl: `md5` (default; OpenSSL < 1.1, CryptoJS), `sha256` (OpenSSL 1.1+ default) or `pbkdf2`.
    #[serde(default)]
    pub kdf: LegacyKdf,
    /// openssl with pbkdf2: iterations (default 10000, as `openssl enc -pbkdf2`).
    #[serde(default = "ten_thousand")]
    pub iterations: u32,
    /// aes-cbc / aes-gcm: the key (16, 24 or 32 bytes).
    #[serde(default)]
    pub key: Option<String>,
    /// How `key` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub key_encoding: InputEncoding,
    /// aes-cbc / aes-gcm: the IV.
    #[serde(default)]
    pub iv: Option<String>,
    /// How `iv` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub iv_encoding: InputEncoding,
    /// aes-gcm: the tag, if not appended to `data`.
    #[serde(default)]
    pub tag: Option<String>,
    /// How `tag` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub tag_encoding: InputEncoding,
    /// aes-gcm: associated data (utf8).
    #[serde(default)]
    pub aad: Option<String>,
    /// How to write the plaintext (default `utf8`).
    #[serde(default)]
    pub encoding: PlainEncoding,
}

fn b64_in() -> InputEncoding {
    InputEncoding::Base64
}

fn hex_in() -> InputEncoding {
    InputEncoding::Hex
}

fn ten_thousand() -> u32 {
    10_000
}

fn need<'a>(v: &'a Option<String>, field: &str, why: &str) -> Result<&'a str, ApiError> {
    v.as_deref()
        .ok_or_else(|| ApiError::field(field, format!("is required {why}")))
}

fn legacy_decrypt_one(r: LegacyDecryptRequest) -> Result<DecryptResponse, ApiError> {
    let data = decode("data", &r.data, r.data_encoding)?;
    let pt = match r.format {
        LegacyFormat::Openssl | LegacyFormat::Cryptojs | LegacyFormat::N8n => {
            let pass = need(&r.passphrase, "passphrase", "for this format")?;
            let (key_len, kdf) = if r.format == LegacyFormat::Openssl {
                (
                    legacy::cbc_key_len(r.cipher.as_deref().unwrap_or("aes-256-cbc"))?,
                    r.kdf,
                )
            } else {
                (32, LegacyKdf::Md5)
            };
            if r.iterations == 0 || r.iterations > 5_000_000 {
                return Err(ApiError::field(
                    "iterations",
                    "must be between 1 and 5000000",
                ));
            }
            legacy::openssl_decrypt(&data, pass.as_bytes(), key_len, kdf, r.iterations)?
        }
        LegacyFormat::AesCbc => {
            let key = key_bytes("key", need(&r.key, "key", "for aes-cbc")?, r.key_encoding)?;
            let iv = decode("iv", need(&r.iv, "iv", "for aes-cbc")?, r.iv_encoding)?;
            legacy::cbc_decrypt(&key, &iv, &data, "data")?
        }
        LegacyFormat::AesGcm => {
            let key = key_bytes("key", need(&r.key, "key", "for aes-gcm")?, r.key_encoding)?;
            let iv = decode("iv", need(&r.iv, "iv", "for aes-gcm")?, r.iv_encoding)?;
            let mut body = data;
            if let Some(t) = &r.tag {
                body.extend(decode("tag", t, r.tag_encoding)?);
            }
            if body.len() < 16 {
                return Err(ApiError::field(
                    "tag",
                    "is required: 16 bytes, in `tag` or appended to `data`",
                ));
            }
            let aad = r.aad.clone().unwrap_or_default();
            legacy::gcm_decrypt(&key, &iv, &body, aad.as_bytes(), "data")?
        }
    };
    Ok(plain_out(pt, r.encoding))
}

/// Decrypt what other tools produced: `openssl enc` (MD5, SHA-256 or PBKDF2 key derivation),
/// CryptoJS `AES.encrypt`, n8n's credential format, or raw AES-CBC / AES-GCM with key and IV.
#[utoipa::path(post, path = "/api/v1/crypto/legacy/decrypt", tag = "crypto",
    request_body = LegacyDecryptRequest,
    responses((status = 200, description = "The plaintext", body = DecryptResponse)))]
pub async fn legacy_decrypt(
    State(st): State<SharedState>,
    payload: Payload<LegacyDecryptRequest>,
) -> Response {
    payload
        .respond_on(
            &st.cpu,
            true,
            (crate::NAME, "legacy_decrypt"),
            legacy_decrypt_one,
        )
        .await
}

/// Encrypt in the OpenSSL / CryptoJS format.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"format":"cryptojs","plaintext":"hello","passphrase":"n8n-key"}))]
pub struct LegacyEncryptRequest {
    /// `openssl` (default), `cryptojs` or `n8n`.
    #[serde(default)]
    pub format: LegacyFormat,
    /// The data.
    pub plaintext: String,
    /// How `plaintext` is written (default `utf8`).
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// The passphrase.
    pub passphrase: String,
    /// openssl: cipher (default `aes-256-cbc`).
    #[serde(default)]
    pub cipher: Option<String>,
    /// openssl: key derivation (default `md5`; `pbkdf2` is the safer choice).
    #[serde(default)]
    pub kdf: LegacyKdf,
    /// openssl with pbkdf2: iterations (default 10000).
    #[serde(default = "ten_thousand")]
    pub iterations: u32,
}

/// OpenSSL-format output.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"data":"U2FsdGVkX1+f52tvmwQ0FxQhmWXp77Jqj1Wucha95ps=","encoding":"base64"}))]
pub struct LegacyEncryptResponse {
    /// `Salted__` + salt + ciphertext, base64 (what `openssl enc -base64` and CryptoJS print).
    pub data: String,
    /// Always `base64`.
    pub encoding: &'static str,
}

/// Encrypt in the `openssl enc` / CryptoJS / n8n format, for tools that only read that.
#[utoipa::path(post, path = "/api/v1/crypto/legacy/encrypt", tag = "crypto",
    request_body = LegacyEncryptRequest,
    responses((status = 200, description = "The data", body = LegacyEncryptResponse)))]
pub async fn legacy_encrypt(
    State(st): State<SharedState>,
    payload: Payload<LegacyEncryptRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "legacy_encrypt"), |r| {
            let pt = decode("plaintext", &r.plaintext, r.input_encoding)?;
            let (key_len, kdf) = match r.format {
                LegacyFormat::Openssl => (
                    legacy::cbc_key_len(r.cipher.as_deref().unwrap_or("aes-256-cbc"))?,
                    r.kdf,
                ),
                LegacyFormat::Cryptojs | LegacyFormat::N8n => (32, LegacyKdf::Md5),
                _ => {
                    return Err(ApiError::field(
                        "format",
                        "must be openssl, cryptojs or n8n; for raw AES use /encrypt",
                    ));
                }
            };
            if r.iterations == 0 || r.iterations > 5_000_000 {
                return Err(ApiError::field(
                    "iterations",
                    "must be between 1 and 5000000",
                ));
            }
            let out =
                legacy::openssl_encrypt(&pt, r.passphrase.as_bytes(), key_len, kdf, r.iterations)?;
            Ok(LegacyEncryptResponse {
                data: to_b64(&out),
                encoding: "base64",
            })
        })
        .await
}
