//! `POST /keys/generate`, `/keys/public`, `/keys/agree`, `/sign`, `/verify`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::hash::VerifyResponse;
use super::{Errors, respond};
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode, to_b64, to_b64url};
use crate::keys::{self, KeyType, PrivateKey};
use crate::sign::{self, EcdsaFormat, RsaScheme, SigHash, SignOptions};
use crate::state::SharedState;

/// Generate a key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"type":"ed25519"}))]
pub struct GenerateKeyRequest {
    /// `aes`, `ed25519`, `x25519`, `p256`, `p384` or `rsa`.
    #[serde(rename = "type")]
    pub key_type: KeyType,
    /// Size: AES 128, 192 or 256 (default 256); RSA 2048 (default), 3072 or 4096.
    #[serde(default)]
    pub bits: Option<u32>,
}

/// A new key.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"type":"ed25519","privateKeyPem":"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI…\n-----END PRIVATE KEY-----\n","publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n","privateKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"…","d":"…"},"publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"…"}}))]
pub struct GenerateKeyResponse {
    /// The key type.
    #[serde(rename = "type")]
    pub key_type: KeyType,
    /// Key size in bits (AES and RSA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<u32>,
    /// AES: the key, base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// AES: the key, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_hex: Option<String>,
    /// The private key, PKCS#8 PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key_pem: Option<String>,
    /// The public key, SPKI PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key_pem: Option<String>,
    /// The private key (or AES key) as a JWK.
    #[schema(value_type = Object)]
    pub private_key_jwk: Value,
    /// The public key as a JWK.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub public_key_jwk: Option<Value>,
}

fn generate_one(r: GenerateKeyRequest) -> Result<GenerateKeyResponse, ApiError> {
    if r.key_type == KeyType::Aes {
        let bits = r.bits.unwrap_or(256);
        if ![128, 192, 256].contains(&bits) {
            return Err(ApiError::field("bits", "AES keys are 128, 192 or 256 bits"));
        }
        let k = crate::random::bytes(bits as usize / 8);
        return Ok(GenerateKeyResponse {
            key_type: r.key_type,
            bits: Some(bits),
            key: Some(to_b64(&k)),
            key_hex: Some(hex::encode(&k)),
            private_key_pem: None,
            public_key_pem: None,
            private_key_jwk: serde_json::json!({"kty":"oct","k":to_b64url(&k),"alg":format!("A{bits}GCM")}),
            public_key_jwk: None,
        });
    }
    if r.bits.is_some() && r.key_type != KeyType::Rsa {
        return Err(ApiError::field(
            "bits",
            format!("applies to aes and rsa keys, not {}", r.key_type),
        ));
    }
    let k = PrivateKey::generate(r.key_type, r.bits)?;
    Ok(GenerateKeyResponse {
        key_type: r.key_type,
        bits: (r.key_type == KeyType::Rsa).then(|| r.bits.unwrap_or(2048)),
        key: None,
        key_hex: None,
        private_key_pem: Some(k.to_pem()?),
        public_key_pem: Some(k.public().to_pem()?),
        private_key_jwk: k.to_jwk()?,
        public_key_jwk: Some(k.public().to_jwk()?),
    })
}

/// Generate a key: AES (raw), Ed25519, X25519, ECDSA P-256/P-384 or RSA 2048/3072/4096, as PEM and JWK.
#[utoipa::path(post, path = "/api/v1/crypto/keys/generate", tag = "crypto",
    request_body = GenerateKeyRequest,
    responses((status = 200, description = "The key pair", body = GenerateKeyResponse), Errors))]
pub async fn generate_key(
    State(st): State<SharedState>,
    payload: Payload<GenerateKeyRequest>,
) -> Response {
    respond(&st, true, "keys_generate", payload, generate_one).await
}

/// Convert a key: derive the public key, or re-encode PEM ⇄ JWK.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"key":"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ…\n-----END PRIVATE KEY-----\n"}))]
pub struct PublicKeyRequest {
    /// A private or public key, PEM or JWK.
    #[schema(value_type = Object)]
    pub key: Value,
}

/// The public key in both encodings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"type":"ed25519","publicKeyPem":"-----BEGIN PUBLIC KEY-----\n…","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"…"}}))]
pub struct PublicKeyResponse {
    /// The key type.
    #[serde(rename = "type")]
    pub key_type: String,
    /// SPKI PEM.
    pub public_key_pem: String,
    /// JWK.
    #[schema(value_type = Object)]
    pub public_key_jwk: Value,
}

fn public_one(r: PublicKeyRequest) -> Result<PublicKeyResponse, ApiError> {
    let p = keys::parse_public("key", &r.key)?;
    Ok(PublicKeyResponse {
        key_type: p.type_name().into(),
        public_key_pem: p.to_pem()?,
        public_key_jwk: p.to_jwk()?,
    })
}

/// The public half of a key, as PEM and JWK (also converts a public key between PEM and JWK).
#[utoipa::path(post, path = "/api/v1/crypto/keys/public", tag = "crypto",
    request_body = PublicKeyRequest,
    responses((status = 200, description = "The public key", body = PublicKeyResponse), Errors))]
pub async fn public_key(
    State(st): State<SharedState>,
    payload: Payload<PublicKeyRequest>,
) -> Response {
    respond(&st, false, "keys_public", payload, public_one).await
}

/// Key agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"privateKey":"-----BEGIN PRIVATE KEY-----\n…","publicKey":"-----BEGIN PUBLIC KEY-----\n…"}))]
pub struct AgreeRequest {
    /// Our private key (X25519, P-256 or P-384), PEM or JWK.
    #[schema(value_type = Object)]
    pub private_key: Value,
    /// Their public key, same curve.
    #[schema(value_type = Object)]
    pub public_key: Value,
    /// How to write the secret (default `hex`).
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// The shared secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"sharedSecret":"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742","encoding":"hex"}))]
#[serde(rename_all = "camelCase")]
pub struct AgreeResponse {
    /// The raw shared secret (run it through /kdf/hkdf before using it as a key).
    pub shared_secret: String,
    /// Its encoding.
    pub encoding: OutputEncoding,
}

fn agree_one(r: AgreeRequest) -> Result<AgreeResponse, ApiError> {
    let sk = keys::parse_private("privateKey", &r.private_key)?;
    let pk = keys::parse_public("publicKey", &r.public_key)?;
    Ok(AgreeResponse {
        shared_secret: encode(&keys::agree(&sk, &pk)?, r.encoding),
        encoding: r.encoding,
    })
}

/// Diffie-Hellman key agreement: X25519, ECDH P-256 or P-384.
#[utoipa::path(post, path = "/api/v1/crypto/keys/agree", tag = "crypto",
    request_body = AgreeRequest,
    responses((status = 200, description = "The shared secret", body = AgreeResponse), Errors))]
pub async fn agree(State(st): State<SharedState>, payload: Payload<AgreeRequest>) -> Response {
    respond(&st, false, "keys_agree", payload, agree_one).await
}

/// Sign data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"privateKey":"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ…\n-----END PRIVATE KEY-----\n","data":"hello"}))]
pub struct SignRequest {
    /// Ed25519, P-256, P-384 or RSA private key, PEM or JWK.
    #[schema(value_type = Object)]
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
#[schema(example = json!({"algorithm":"ed25519","signature":"5lRsQf…==","encoding":"base64"}))]
pub struct SignResponse {
    /// What was used, e.g. `ed25519`, `ecdsa-p256-sha256`, `rsa-pss-sha256`.
    pub algorithm: String,
    /// The signature.
    pub signature: String,
    /// Its encoding.
    pub encoding: OutputEncoding,
}

fn options(
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
    responses((status = 200, description = "The signature", body = SignResponse), Errors))]
pub async fn sign_data(State(st): State<SharedState>, payload: Payload<SignRequest>) -> Response {
    respond(&st, true, "sign", payload, sign_one).await
}

/// Verify a signature.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"publicKey":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n","data":"hello","signature":"5lRsQf…=="}))]
pub struct VerifyRequest {
    /// The public key (or the private key), PEM or JWK.
    #[schema(value_type = Object)]
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
    responses((status = 200, description = "The verdict", body = VerifyResponse), Errors))]
pub async fn verify_data(
    State(st): State<SharedState>,
    payload: Payload<VerifyRequest>,
) -> Response {
    respond(&st, false, "verify", payload, verify_one).await
}
