//! The route table: every route with its OpenAPI entry (through `utoipa-axum`, so a route cannot
//! exist undocumented) and, beside it, its own limits where it has any.

use std::time::Duration;

use flowforge_kit::{RouteLimits, Routes, Service};
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::handlers::{
    CryptoState, decrypt, encrypt, hash, hmac, jwt, kdf, keys, legacy, password, random, sign,
    totp, verify, webhook,
};

#[derive(OpenApi)]
#[openapi(tags((name = "crypto", description = "Hashing, HMAC, encryption, keys, signatures, JWT, random values, passwords, TOTP, webhooks")))]
struct CryptoApi;

/// The service: its routes, documents and limits, with `state` applied.
pub fn service(state: CryptoState) -> Service {
    // A raw body is hashed as it streams in: up to CRYPTO_STREAM_LIMIT, for up to ten minutes.
    let stream = RouteLimits {
        body: Some(state.config.stream_body),
        timeout: Some(Duration::from_secs(600)),
    };
    let (bytes_max, count_max) = (
        state.config.random_bytes as u64,
        state.config.random_count as u64,
    );
    Routes::new(crate::NAME, CryptoApi::openapi())
        // Digests and MACs: the hot path of most automations.
        .route_with(stream, routes!(hash::hash))
        .route(routes!(hmac::hmac))
        .route(routes!(hmac::hmac_verify))
        // Authenticated encryption with a key or passphrase.
        .route(routes!(encrypt::encrypt))
        .route(routes!(decrypt::decrypt))
        // Decrypting (and producing) what other tools made: OpenSSL, CryptoJS, n8n, raw AES.
        .route(routes!(legacy::legacy_decrypt))
        .route(routes!(legacy::legacy_encrypt))
        // Asymmetric keys and signatures.
        .route(routes!(keys::keys_generate))
        .route(routes!(keys::keys_public))
        .route(routes!(keys::keys_agree))
        .route(routes!(sign::sign))
        .route(routes!(verify::verify))
        // JSON Web Tokens.
        .route(routes!(jwt::jwt_sign))
        .route(routes!(jwt::jwt_verify))
        .route(routes!(jwt::jwt_decode))
        // Random values from the OS CSPRNG.
        .route(routes!(random::random_bytes))
        .route(routes!(random::random_uuid))
        .route(routes!(random::random_password))
        .route(routes!(random::random_token))
        // Passwords and key derivation.
        .route(routes!(password::password_hash))
        .route(routes!(password::password_verify))
        .route(routes!(kdf::kdf_hkdf))
        .route(routes!(kdf::kdf_pbkdf2))
        // One-time passwords.
        .route(routes!(totp::totp_secret))
        .route(routes!(totp::totp_code))
        .route(routes!(totp::totp_verify))
        // Incoming webhooks.
        .route(routes!(webhook::webhook_verify))
        // The random values' ranges, as configured.
        .bound("RandomBytesRequest", "length", 1..=bytes_max)
        .bound("UuidRequest", "count", 1..=count_max)
        .bound("PasswordRequest", "count", 1..=count_max)
        .bound("TokenRequest", "count", 1..=count_max)
        .into_service(std::sync::Arc::new(state))
}
