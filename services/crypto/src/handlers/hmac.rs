//! `POST /api/v1/crypto/hmac`, `/hmac/verify`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode, key_bytes};
use crate::mac::{self, MacAlgorithm};

/// Compute an HMAC (or keyed BLAKE3).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"sha256","key":"secret","data":"hello"}))]
pub struct HmacRequest {
    /// The MAC algorithm: HMAC over sha1, sha224, sha256, sha384, sha512, sha3-*, or `blake3` (keyed, 32-byte key).
    pub algorithm: MacAlgorithm,
    /// The key, written as `keyEncoding` says.
    pub key: String,
    /// How `key` is written: `utf8` (default), `base64`, `base64url` or `hex`.
    #[serde(default)]
    pub key_encoding: InputEncoding,
    /// The message.
    pub data: String,
    /// How `data` is written.
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// How to write the MAC: `hex` (default), `base64` or `base64url`.
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// A MAC.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"algorithm":"sha256","mac":"88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b","encoding":"hex"}))]
pub struct HmacResponse {
    /// The algorithm used.
    pub algorithm: MacAlgorithm,
    /// The MAC.
    pub mac: String,
    /// How `mac` is written.
    pub encoding: OutputEncoding,
}

fn hmac_one(r: HmacRequest) -> Result<HmacResponse, ApiError> {
    let key = key_bytes("key", &r.key, r.key_encoding)?;
    let data = decode("data", &r.data, r.input_encoding)?;
    let mac = mac::sign(r.algorithm, &key, &data, "key")?;
    Ok(HmacResponse {
        algorithm: r.algorithm,
        mac: encode(&mac, r.encoding),
        encoding: r.encoding,
    })
}

/// Compute an HMAC or keyed BLAKE3 MAC (one, or a batch under `items`).
#[utoipa::path(post, path = "/api/v1/crypto/hmac", tag = "crypto",
    request_body = HmacRequest,
    responses((status = 200, description = "The MAC", body = HmacResponse)))]
pub async fn hmac(State(st): State<SharedState>, payload: Payload<HmacRequest>) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "hmac"), hmac_one)
        .await
}

/// Verify an HMAC in constant time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"sha256","key":"secret","data":"hello","mac":"88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b"}))]
pub struct HmacVerifyRequest {
    /// The MAC algorithm.
    pub algorithm: MacAlgorithm,
    /// The key.
    pub key: String,
    /// How `key` is written.
    #[serde(default)]
    pub key_encoding: InputEncoding,
    /// The message.
    pub data: String,
    /// How `data` is written.
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// The MAC to check.
    pub mac: String,
    /// How `mac` is written: `hex` (default), `base64` or `base64url`.
    #[serde(default = "hex_default")]
    pub mac_encoding: InputEncoding,
}

fn hex_default() -> InputEncoding {
    InputEncoding::Hex
}

/// The verdict.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"valid":true}))]
pub struct VerifyResponse {
    /// Whether the MAC (or signature) matches.
    pub valid: bool,
}

fn hmac_verify_one(r: HmacVerifyRequest) -> Result<VerifyResponse, ApiError> {
    let key = key_bytes("key", &r.key, r.key_encoding)?;
    let data = decode("data", &r.data, r.input_encoding)?;
    let given = decode("mac", &r.mac, r.mac_encoding)?;
    Ok(VerifyResponse {
        valid: mac::verify(r.algorithm, &key, &data, &given, "key")?,
    })
}

/// Verify an HMAC (constant-time). Answers `{"valid":false}` for a wrong MAC, so a workflow can branch on it.
#[utoipa::path(post, path = "/api/v1/crypto/hmac/verify", tag = "crypto",
    request_body = HmacVerifyRequest,
    responses((status = 200, description = "The verdict", body = VerifyResponse)))]
pub async fn hmac_verify(
    State(st): State<SharedState>,
    payload: Payload<HmacVerifyRequest>,
) -> Response {
    payload
        .respond_on(
            &st.cpu,
            false,
            (crate::NAME, "hmac_verify"),
            hmac_verify_one,
        )
        .await
}
