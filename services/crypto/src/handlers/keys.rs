//! `POST /api/v1/crypto/keys/generate`, `/keys/public`, `/keys/agree`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{OutputEncoding, encode, to_b64, to_b64url};
use crate::keys::{self, KeyType, PrivateKey};

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
#[schema(example = json!({"type": "ed25519", "privateKeyPem": "-----BEGIN PRIVATE KEY-----\nMFECAQEwBQYDK2VwBCIEICRNN7OvdEfkkKNjwFoq9E0nhQWQKcg5MY//Z/nPiDr/\ngSEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PRIVATE KEY-----\n", "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PUBLIC KEY-----\n", "privateKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "lhhAAsuRfxMoaMtc9bPopBYQ-FFJW2cPvJ0qH3V6Af0", "d": "JE03s690R-SQo2PAWir0TSeFBZApyDkxj_9n-c-IOv8"}, "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "lhhAAsuRfxMoaMtc9bPopBYQ-FFJW2cPvJ0qH3V6Af0"}}))]
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
    pub private_key_jwk: Value,
    /// The public key as a JWK.
    #[serde(skip_serializing_if = "Option::is_none")]
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
    responses((status = 200, description = "The key pair", body = GenerateKeyResponse)))]
pub async fn keys_generate(
    State(st): State<SharedState>,
    payload: Payload<GenerateKeyRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "keys_generate"), generate_one)
        .await
}

/// Convert a key: derive the public key, or re-encode PEM ⇄ JWK.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"key": "-----BEGIN PRIVATE KEY-----\nMFECAQEwBQYDK2VwBCIEICRNN7OvdEfkkKNjwFoq9E0nhQWQKcg5MY//Z/nPiDr/\ngSEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PRIVATE KEY-----\n"}))]
pub struct PublicKeyRequest {
    /// A private or public key, PEM or JWK.
    pub key: Value,
}

/// The public key in both encodings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"type": "ed25519", "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlhhAAsuRfxMoaMtc9bPopBYQ+FFJW2cPvJ0qH3V6Af0=\n-----END PUBLIC KEY-----\n", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "lhhAAsuRfxMoaMtc9bPopBYQ-FFJW2cPvJ0qH3V6Af0"}}))]
pub struct PublicKeyResponse {
    /// The key type.
    #[serde(rename = "type")]
    pub key_type: String,
    /// SPKI PEM.
    pub public_key_pem: String,
    /// JWK.
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
    responses((status = 200, description = "The public key", body = PublicKeyResponse)))]
pub async fn keys_public(
    State(st): State<SharedState>,
    payload: Payload<PublicKeyRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "keys_public"), public_one)
        .await
}

/// Key agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"privateKey": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIB8dSxuzJ8gj6VVwYZ0GeHdLaf4l8LnrEtDiZ9F2gEQA\n-----END PRIVATE KEY-----\n", "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAg5vUP/dhlSbrRKpXPVEVlDDcXhbeulqyfnlW+3O8vR8=\n-----END PUBLIC KEY-----\n"}))]
pub struct AgreeRequest {
    /// Our private key (X25519, P-256 or P-384), PEM or JWK.
    pub private_key: Value,
    /// Their public key, same curve.
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
    responses((status = 200, description = "The shared secret", body = AgreeResponse)))]
pub async fn keys_agree(State(st): State<SharedState>, payload: Payload<AgreeRequest>) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "keys_agree"), agree_one)
        .await
}
