//! `POST /api/v1/crypto/verify`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::SharedState;
use super::hmac::VerifyResponse;
use super::sign::options;
use crate::encoding::{InputEncoding, decode};
use crate::keys::{self};
use crate::sign::{self, EcdsaFormat, RsaScheme, SigHash};

/// Verify a signature.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PUBLIC KEY-----\n", "data": "hello", "signature": "oOjrQeLvceHKx6Cozl8McS2JzitL6L7s8yNLmeClbjyIK93xd23H9NVJQpZ1agqBUwZ22X0yfd/c+PySTd+BDg=="}))]
pub struct VerifyRequest {
    /// The public key (or the private key), PEM or JWK.
    pub public_key: Value,
    /// The message.
    pub data: String,
    /// How `data` is written.
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// The signature.
    pub signature: String,
    /// How `signature` is written (default `base64`).
    #[serde(default = "b64_in")]
    pub signature_encoding: InputEncoding,
    /// Digest for ECDSA and RSA.
    #[serde(default)]
    pub hash: Option<SigHash>,
    /// RSA padding.
    #[serde(default)]
    pub scheme: RsaScheme,
    /// ECDSA encoding.
    #[serde(default)]
    pub format: EcdsaFormat,
}

fn b64_in() -> InputEncoding {
    InputEncoding::Base64
}

fn verify_one(r: VerifyRequest) -> Result<VerifyResponse, ApiError> {
    let k = keys::parse_public("publicKey", &r.public_key)?;
    let data = decode("data", &r.data, r.input_encoding)?;
    let sig = decode("signature", &r.signature, r.signature_encoding)?;
    let o = options(r.hash, r.scheme, r.format, k.type_name())?;
    Ok(VerifyResponse {
        valid: sign::verify(&k, &data, &sig, &o)?,
    })
}

/// Verify a signature. Answers `{"valid":false}` for a signature that does not match.
#[utoipa::path(post, path = "/api/v1/crypto/verify", tag = "crypto",
    request_body = VerifyRequest,
    responses((status = 200, description = "The verdict", body = VerifyResponse)))]
pub async fn verify(State(st): State<SharedState>, payload: Payload<VerifyRequest>) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "verify"), verify_one)
        .await
}
