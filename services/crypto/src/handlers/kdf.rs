//! `POST /api/v1/crypto/kdf/hkdf`, `/kdf/pbkdf2`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode};
use crate::password::{self};
use crate::sign::SigHash;

/// HKDF.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"ikm":"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b","ikmEncoding":"hex","salt":"000102030405060708090a0b0c","saltEncoding":"hex","info":"f0f1f2f3f4f5f6f7f8f9","infoEncoding":"hex","length":42}))]
pub struct HkdfRequest {
    /// Input key material.
    pub ikm: String,
    /// How `ikm` is written (default `utf8`).
    #[serde(default)]
    pub ikm_encoding: InputEncoding,
    /// Optional salt.
    #[serde(default)]
    pub salt: Option<String>,
    /// How `salt` is written.
    #[serde(default)]
    pub salt_encoding: InputEncoding,
    /// Context information (default empty).
    #[serde(default)]
    pub info: String,
    /// How `info` is written.
    #[serde(default)]
    pub info_encoding: InputEncoding,
    /// Output length in bytes (default 32).
    #[serde(default = "thirty_two")]
    pub length: usize,
    /// `sha256` (default), `sha384` or `sha512`.
    #[serde(default = "sha256")]
    pub hash: SigHash,
    /// How to write the key (default `hex`).
    #[serde(default)]
    pub encoding: OutputEncoding,
}

fn thirty_two() -> usize {
    32
}

fn sha256() -> SigHash {
    SigHash::Sha256
}

/// A derived key.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"key":"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865","encoding":"hex"}))]
pub struct DerivedKey {
    /// The key.
    pub key: String,
    /// Its encoding.
    pub encoding: OutputEncoding,
}

/// Derive a key with HKDF (RFC 5869) over SHA-256/384/512.
#[utoipa::path(post, path = "/api/v1/crypto/kdf/hkdf", tag = "crypto",
    request_body = HkdfRequest,
    responses((status = 200, description = "The derived key", body = DerivedKey)))]
pub async fn kdf_hkdf(State(st): State<SharedState>, payload: Payload<HkdfRequest>) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "kdf_hkdf"), |r| {
            let ikm = decode("ikm", &r.ikm, r.ikm_encoding)?;
            let salt = r
                .salt
                .as_deref()
                .map(|s| decode("salt", s, r.salt_encoding))
                .transpose()?;
            let info = decode("info", &r.info, r.info_encoding)?;
            let key = crate::kdf::hkdf(r.hash, &ikm, salt.as_deref(), &info, r.length)?;
            Ok(DerivedKey {
                key: encode(&key, r.encoding),
                encoding: r.encoding,
            })
        })
        .await
}

/// PBKDF2.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"password":"passwd","salt":"salt","iterations":1,"length":64}))]
pub struct Pbkdf2Request {
    /// The password.
    pub password: String,
    /// How `password` is written (default `utf8`).
    #[serde(default)]
    pub password_encoding: InputEncoding,
    /// The salt.
    pub salt: String,
    /// How `salt` is written (default `utf8`).
    #[serde(default)]
    pub salt_encoding: InputEncoding,
    /// Iterations (1 to 5,000,000).
    pub iterations: u32,
    /// Output length in bytes (default 32, at most 1024).
    #[serde(default = "thirty_two")]
    pub length: usize,
    /// `sha256` (default) or `sha512`.
    #[serde(default = "sha256")]
    pub hash: SigHash,
    /// How to write the key (default `hex`).
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// Derive a key with PBKDF2-HMAC-SHA256 or SHA512.
#[utoipa::path(post, path = "/api/v1/crypto/kdf/pbkdf2", tag = "crypto",
    request_body = Pbkdf2Request,
    responses((status = 200, description = "The derived key", body = DerivedKey)))]
pub async fn kdf_pbkdf2(
    State(st): State<SharedState>,
    payload: Payload<Pbkdf2Request>,
) -> Response {
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "kdf_pbkdf2"), |r| {
            if r.iterations == 0 || r.iterations > 5_000_000 {
                return Err(ApiError::field(
                    "iterations",
                    "must be between 1 and 5000000",
                ));
            }
            if r.length == 0 || r.length > 1024 {
                return Err(ApiError::field(
                    "length",
                    "must be between 1 and 1024 bytes",
                ));
            }
            let sha512 = match r.hash {
                SigHash::Sha256 => false,
                SigHash::Sha512 => true,
                SigHash::Sha384 => {
                    return Err(ApiError::field("hash", "PBKDF2 here uses sha256 or sha512"));
                }
            };
            let pw = decode("password", &r.password, r.password_encoding)?;
            let salt = decode("salt", &r.salt, r.salt_encoding)?;
            let key = password::pbkdf2_derive(sha512, &pw, &salt, r.iterations, r.length);
            Ok(DerivedKey {
                key: encode(&key, r.encoding),
                encoding: r.encoding,
            })
        })
        .await
}
