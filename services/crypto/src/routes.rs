//! The route table. Every route is registered through `utoipa-axum`, so a route that is not in
//! the OpenAPI document cannot exist.

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::handlers::{cipher, hash, jwt, keys, misc, random};
use crate::state::{CryptoState, SharedState};

#[derive(OpenApi)]
#[openapi(tags((name = "crypto", description = "Hashing, HMAC, encryption, keys, signatures, JWT, random values, passwords, TOTP, webhooks")))]
struct CryptoApi;

/// The router (state applied) and its OpenAPI document.
pub fn router(state: CryptoState) -> (Router, utoipa::openapi::OpenApi) {
    let state: SharedState = std::sync::Arc::new(state);
    let (router, doc) = OpenApiRouter::<SharedState>::with_openapi(CryptoApi::openapi())
        // Digests and MACs: the hot path of most automations.
        .routes(routes!(hash::hash))
        .routes(routes!(hash::hmac_sign))
        .routes(routes!(hash::hmac_verify))
        // Authenticated encryption with a key or passphrase.
        .routes(routes!(cipher::encrypt))
        .routes(routes!(cipher::decrypt))
        // Decrypting (and producing) what other tools made: OpenSSL, CryptoJS, n8n, raw AES.
        .routes(routes!(misc::legacy_decrypt))
        .routes(routes!(misc::legacy_encrypt))
        // Asymmetric keys and signatures.
        .routes(routes!(keys::generate_key))
        .routes(routes!(keys::public_key))
        .routes(routes!(keys::agree))
        .routes(routes!(keys::sign_data))
        .routes(routes!(keys::verify_data))
        // JSON Web Tokens.
        .routes(routes!(jwt::jwt_sign))
        .routes(routes!(jwt::jwt_verify))
        .routes(routes!(jwt::jwt_decode))
        // Random values from the OS CSPRNG.
        .routes(routes!(random::random_bytes))
        .routes(routes!(random::random_uuid))
        .routes(routes!(random::random_password))
        .routes(routes!(random::random_token))
        // Passwords and key derivation.
        .routes(routes!(misc::password_hash))
        .routes(routes!(misc::password_verify))
        .routes(routes!(misc::kdf_hkdf))
        .routes(routes!(misc::kdf_pbkdf2))
        // One-time passwords.
        .routes(routes!(misc::totp_secret))
        .routes(routes!(misc::totp_code))
        .routes(routes!(misc::totp_verify))
        // Incoming webhooks.
        .routes(routes!(misc::webhook_verify))
        .split_for_parts();
    (router.with_state(state), doc)
}
