//! `POST /api/v1/crypto/sign`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode};
use crate::keys::{self};
use crate::sign::{self, EcdsaFormat, RsaScheme, SigHash, SignOptions};

/// Sign data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"privateKey": "-----BEGIN PRIVATE KEY-----\nMFECAQEwBQYDK2VwBCIEICRNN7OvdEfkkKNjwFoq9E0nhQWQKcg5MY//Z/nPiDr/\ngSEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PRIVATE KEY-----\n", "data": "hello"}))]
pub struct SignRequest {
    /// Ed25519, P-256, P-384 or RSA private key, PEM or JWK.
    pub private_key: Value,
    /// The message.
    pub data: String,
    /// How `data` is written (default `utf8`).
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// Digest for ECDSA and RSA (default: sha256 for RSA and P-256, sha384 for P-384).
    #[serde(default)]
    pub hash: Option<SigHash>,
    /// RSA padding: `pkcs1v15` (default) or `pss`.
    #[serde(default)]
    pub scheme: RsaScheme,
    /// ECDSA encoding: `der` (default) or `raw` (r‖s).
    #[serde(default)]
    pub format: EcdsaFormat,
    /// How to write the signature (default `base64`).
    #[serde(default = "b64_out")]
    pub encoding: OutputEncoding,
}

fn b64_out() -> OutputEncoding {
    OutputEncoding::Base64
}

/// A signature.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"algorithm": "ed25519", "signature": "oOjrQeLvceHKx6Cozl8McS2JzitL6L7s8yNLmeClbjyIK93xd23H9NVJQpZ1agqBUwZ22X0yfd/c+PySTd+BDg==", "encoding": "base64"}))]
pub struct SignResponse {
    /// What was used, e.g. `ed25519`, `ecdsa-p256-sha256`, `rsa-pss-sha256`.
    pub algorithm: String,
    /// The signature.
    pub signature: String,
    /// Its encoding.
    pub encoding: OutputEncoding,
}

pub(crate) fn options(
    hash: Option<SigHash>,
    scheme: RsaScheme,
    format: EcdsaFormat,
    key_type: &str,
) -> Result<SignOptions, ApiError> {
    if key_type == "ed25519" && hash.is_some_and(|h| h != SigHash::Sha512) {
        return Err(ApiError::field(
            "hash",
            "Ed25519 always uses SHA-512 internally; leave `hash` out",
        ));
    }
    Ok(SignOptions {
        hash: if key_type == "ed25519" { None } else { hash },
        scheme,
        format,
        salt_len: None,
    })
}

fn sign_one(r: SignRequest) -> Result<SignResponse, ApiError> {
    let k = keys::parse_private("privateKey", &r.private_key)?;
    let data = decode("data", &r.data, r.input_encoding)?;
    let o = options(r.hash, r.scheme, r.format, k.type_name())?;
    let sig = sign::sign(&k, &data, &o)?;
    Ok(SignResponse {
        algorithm: sign::describe(k.type_name(), &o),
        signature: encode(&sig, r.encoding),
        encoding: r.encoding,
    })
}

/// Sign with Ed25519, ECDSA P-256/P-384 (DER or raw) or RSA PKCS#1 v1.5 / PSS, SHA-256/384/512.
#[utoipa::path(post, path = "/api/v1/crypto/sign", tag = "crypto",
    request_body = SignRequest,
    responses((status = 200, description = "The signature", body = SignResponse)))]
pub async fn sign(State(st): State<SharedState>, payload: Payload<SignRequest>) -> Response {
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "sign"), sign_one)
        .await
}
