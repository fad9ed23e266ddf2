//! `POST /api/v1/crypto/hash`.

use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::extract::{BatchMax, body_error, is_json, read_body};
use flowforge_kit::{ApiError, Payload, Query};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{CryptoState, SharedState};
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode};
use crate::hash::{HashAlgorithm, Hasher, digest};

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
    responses((status = 200, description = "The digest (or `results` for a batch)", body = HashResponse)))]
pub async fn hash(State(st): State<SharedState>, max: BatchMax, req: Request) -> Response {
    if is_json(req.headers()) {
        let body = match read_body(req.into_body(), st.config.json_body).await {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        let payload = match Payload::<HashRequest>::parse(&body, max) {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        };
        let heavy = body.len() >= st.config.inline_max;
        return payload
            .respond_on(&st.cpu, heavy, (crate::NAME, "hash"), hash_one)
            .await;
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
        let chunk = chunk.map_err(|e| body_error(&e, st.config.stream_body))?;
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
