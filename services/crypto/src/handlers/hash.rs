//! `POST /hash`, `POST /hmac`, `POST /hmac/verify`.

use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::extract::{body_error, is_json, read_body};
use flowforge_kit::{ApiError, Payload, Query};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Errors, respond};
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode, key_bytes};
use crate::hash::{HashAlgorithm, Hasher, digest};
use crate::mac::{self, MacAlgorithm};
use crate::state::{CryptoState, SharedState};

/// Hash one input given inside JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"sha256","data":"hello"}))]
pub struct HashRequest {
    /// The digest algorithm.
    pub algorithm: HashAlgorithm,
    /// The input, written as `inputEncoding` says.
    pub data: String,
    /// How `data` is written: `utf8` (default), `base64`, `base64url` or `hex`.
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// How to write the digest: `hex` (default), `base64` or `base64url`.
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// Options for a raw body, in the query string.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HashQuery {
    /// The digest algorithm.
    pub algorithm: HashAlgorithm,
    /// How to write the digest.
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// A digest.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"sha256","digest":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","encoding":"hex","bytes":5}))]
pub struct HashResponse {
    /// The algorithm used.
    pub algorithm: HashAlgorithm,
    /// The digest.
    pub digest: String,
    /// How `digest` is written.
    pub encoding: OutputEncoding,
    /// Length of the input in bytes.
    pub bytes: u64,
}

fn hash_one(r: HashRequest) -> Result<HashResponse, ApiError> {
    let data = decode("data", &r.data, r.input_encoding)?;
    Ok(HashResponse {
        algorithm: r.algorithm,
        digest: encode(&digest(r.algorithm, &data), r.encoding),
        encoding: r.encoding,
        bytes: data.len() as u64,
    })
}

/// Hash data: JSON (`data`, or a batch under `items`), or any raw body with
/// `?algorithm=sha256`, hashed as it streams in (up to `CRYPTO_STREAM_LIMIT`, 1 GiB by default).
#[utoipa::path(post, path = "/api/v1/crypto/hash", tag = "crypto",
    params(("algorithm" = Option<String>, Query, description = "For a raw (non-JSON) body: the digest algorithm"),
           ("encoding" = Option<String>, Query, description = "For a raw body: hex (default), base64 or base64url")),
    request_body(content = HashRequest, description = "JSON, or any raw body (e.g. application/octet-stream) with the options in the query string"),
    responses((status = 200, description = "The digest (or `results` for a batch)", body = HashResponse), Errors))]
pub async fn hash(State(st): State<SharedState>, req: Request) -> Response {
    if is_json(req.headers()) {
        let body = match read_body(req.into_body(), st.limits.json_body).await {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        let payload = match Payload::<HashRequest>::parse(&body) {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        };
        let heavy = body.len() >= st.limits.inline_max;
        return respond(&st, heavy, "hash", payload, hash_one).await;
    }
    match hash_stream(&st, req).await {
        Ok(r) => {
            flowforge_kit::metrics::get().operation(crate::NAME, "hash", true, 1);
            axum::Json(r).into_response()
        }
        Err(e) => e.into_response(),
    }
}

async fn hash_stream(st: &CryptoState, req: Request) -> Result<HashResponse, ApiError> {
    let (mut parts, body) = req.into_parts();
    let Query(q) = Query::<HashQuery>::from_request_parts(&mut parts, &()).await?;
    let mut hasher = Hasher::new(q.algorithm);
    let mut stream = body.into_data_stream();
    let mut n: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| body_error(&e, st.limits.stream_body))?;
        n += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok(HashResponse {
        algorithm: q.algorithm,
        digest: encode(&hasher.finish(), q.encoding),
        encoding: q.encoding,
        bytes: n,
    })
}

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
    responses((status = 200, description = "The MAC", body = HmacResponse), Errors))]
pub async fn hmac_sign(State(st): State<SharedState>, payload: Payload<HmacRequest>) -> Response {
    respond(&st, false, "hmac", payload, hmac_one).await
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
    responses((status = 200, description = "The verdict", body = VerifyResponse), Errors))]
pub async fn hmac_verify(
    State(st): State<SharedState>,
    payload: Payload<HmacVerifyRequest>,
) -> Response {
    respond(&st, false, "hmac_verify", payload, hmac_verify_one).await
}
