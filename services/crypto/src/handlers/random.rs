//! `POST /random/bytes`, `/random/uuid`, `/random/password`, `/random/token`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::config::Config;
use crate::encoding::{OutputEncoding, encode};
use crate::random::{self, Policy};

fn check_count(field: &str, n: usize, max: usize) -> Result<(), ApiError> {
    if n == 0 || n > max {
        return Err(ApiError::field(
            field,
            format!("must be between 1 and {max} (CRYPTO_RANDOM_MAX_COUNT)"),
        ));
    }
    Ok(())
}

/// Random bytes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"length":32,"encoding":"hex"}))]
pub struct RandomBytesRequest {
    /// How many bytes (1 to CRYPTO_RANDOM_MAX_BYTES, default 65536).
    #[schema(minimum = 1)]
    pub length: usize,
    /// `hex` (default), `base64` or `base64url`.
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// Random bytes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"bytes":"3f1c9a0e5b7d2c4a8e6f1b3d5c7a9e0f2b4d6c8a0e1f3b5d7c9a1e2f4b6d8c0a","encoding":"hex"}))]
pub struct RandomBytesResponse {
    /// The bytes.
    pub bytes: String,
    /// Their encoding.
    pub encoding: OutputEncoding,
}

/// Random bytes from the OS CSPRNG.
#[utoipa::path(post, path = "/api/v1/crypto/random/bytes", tag = "crypto",
    request_body = RandomBytesRequest,
    responses((status = 200, description = "Random bytes", body = RandomBytesResponse)))]
pub async fn random_bytes(
    State(st): State<SharedState>,
    payload: Payload<RandomBytesRequest>,
) -> Response {
    let max = st.config.random_bytes;
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "random_bytes"), move |r| {
            if r.length == 0 || r.length > max {
                return Err(ApiError::field(
                    "length",
                    format!("must be between 1 and {max} bytes (CRYPTO_RANDOM_MAX_BYTES)"),
                ));
            }
            Ok(RandomBytesResponse {
                bytes: encode(&random::bytes(r.length), r.encoding),
                encoding: r.encoding,
            })
        })
        .await
}

/// UUIDs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"version":7,"count":2}))]
pub struct UuidRequest {
    /// 4 (random, default) or 7 (time-ordered: sorts by creation, good for database keys).
    #[serde(default = "four")]
    #[schema(schema_with = uuid_version)]
    pub version: u8,
    /// How many (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 1)]
    pub count: usize,
}

fn four() -> u8 {
    4
}

fn one() -> usize {
    1
}

/// UUIDs.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"uuids":["019ab6f4-8c1e-7d3a-9b2f-4e5d6c7b8a90","019ab6f4-8c1e-7d3a-9b2f-4e5d6c7b8a91"],"version":7}))]
pub struct UuidResponse {
    /// The UUIDs.
    pub uuids: Vec<String>,
    /// Their version.
    pub version: u8,
}

/// UUID v4 (random) or v7 (time-ordered).
#[utoipa::path(post, path = "/api/v1/crypto/random/uuid", tag = "crypto",
    request_body = UuidRequest,
    responses((status = 200, description = "UUIDs", body = UuidResponse)))]
pub async fn random_uuid(State(st): State<SharedState>, payload: Payload<UuidRequest>) -> Response {
    let max = st.config.random_count;
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "random_uuid"), move |r| {
            check_count("count", r.count, max)?;
            let make = match r.version {
                4 => uuid::Uuid::new_v4,
                7 => uuid::Uuid::now_v7,
                v => {
                    return Err(ApiError::field(
                        "version",
                        format!("must be 4 or 7, not {v}"),
                    ));
                }
            };
            Ok(UuidResponse {
                uuids: (0..r.count).map(|_| make().to_string()).collect(),
                version: r.version,
            })
        })
        .await
}

/// Passwords with a policy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"length":20,"symbols":false,"excludeAmbiguous":true}))]
pub struct PasswordRequest {
    /// Length (default 20).
    #[serde(default = "twenty")]
    pub length: usize,
    /// How many (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 1)]
    pub count: usize,
    /// Include a-z (default true).
    #[serde(default = "yes")]
    pub lowercase: bool,
    /// Include A-Z (default true).
    #[serde(default = "yes")]
    pub uppercase: bool,
    /// Include 0-9 (default true).
    #[serde(default = "yes")]
    pub digits: bool,
    /// Include symbols (default true).
    #[serde(default = "yes")]
    pub symbols: bool,
    /// The symbols to use (default `!@#$%^&*()-_=+[]{};:,.?/~`).
    #[serde(default)]
    pub symbol_set: Option<String>,
    /// Leave out look-alike characters 0 O o 1 l I | ` ' " (default false).
    #[serde(default)]
    pub exclude_ambiguous: bool,
}

fn twenty() -> usize {
    20
}

fn yes() -> bool {
    true
}

/// Passwords.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"passwords":["q7Vt2mXk9RpL4wHs8NcZ"]}))]
pub struct PasswordResponse {
    /// The passwords; each has at least one character of every enabled class.
    pub passwords: Vec<String>,
}

/// Passwords with a policy (length, classes, no look-alikes), from the OS CSPRNG.
#[utoipa::path(post, path = "/api/v1/crypto/random/password", tag = "crypto",
    request_body = PasswordRequest,
    responses((status = 200, description = "Passwords", body = PasswordResponse)))]
pub async fn random_password(
    State(st): State<SharedState>,
    payload: Payload<PasswordRequest>,
) -> Response {
    let max = st.config.random_count;
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "random_password"), move |r| {
            check_count("count", r.count, max)?;
            let p = Policy {
                length: r.length,
                lowercase: r.lowercase,
                uppercase: r.uppercase,
                digits: r.digits,
                symbols: r.symbols,
                symbol_set: r
                    .symbol_set
                    .unwrap_or_else(|| "!@#$%^&*()-_=+[]{};:,.?/~".into()),
                exclude_ambiguous: r.exclude_ambiguous,
            };
            let passwords = (0..r.count)
                .map(|_| random::password(&p))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(PasswordResponse { passwords })
        })
        .await
}

/// URL-safe tokens.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"bytes":32}))]
pub struct TokenRequest {
    /// Random bytes per token (default 32 = 256 bits).
    #[serde(default = "thirty_two")]
    #[schema(minimum = 8, maximum = 1024)]
    pub bytes: usize,
    /// How many (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 1)]
    pub count: usize,
    /// `base64url` (default), `hex` or `base64`.
    #[serde(default = "b64url")]
    pub encoding: OutputEncoding,
}

fn thirty_two() -> usize {
    32
}

fn b64url() -> OutputEncoding {
    OutputEncoding::Base64url
}

/// Tokens.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"tokens":["Jr3s0cV1kS9Q6b2TqgXc2l8m3n4o5p6q7r8s9t0u1v4"],"encoding":"base64url"}))]
pub struct TokenResponse {
    /// The tokens.
    pub tokens: Vec<String>,
    /// Their encoding.
    pub encoding: OutputEncoding,
}

fn token_one(lim: &Config, r: TokenRequest) -> Result<TokenResponse, ApiError> {
    check_count("count", r.count, lim.random_count)?;
    if r.bytes < 8 || r.bytes > 1024 {
        return Err(ApiError::field("bytes", "must be between 8 and 1024"));
    }
    Ok(TokenResponse {
        tokens: (0..r.count)
            .map(|_| encode(&random::bytes(r.bytes), r.encoding))
            .collect(),
        encoding: r.encoding,
    })
}

/// URL-safe random tokens (API keys, reset links, state parameters).
#[utoipa::path(post, path = "/api/v1/crypto/random/token", tag = "crypto",
    request_body = TokenRequest,
    responses((status = 200, description = "Tokens", body = TokenResponse)))]
pub async fn random_token(
    State(st): State<SharedState>,
    payload: Payload<TokenRequest>,
) -> Response {
    let lim = st.config.clone();
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "random_token"), move |r| {
            token_one(&lim, r)
        })
        .await
}

/// `version`'s schema: 4 or 7.
fn uuid_version() -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some([4, 7]))
        .default(Some(4.into()))
        .description(Some(
            "4 (random, default) or 7 (time-ordered: sorts by creation, good for database keys).",
        ))
        .build()
}
