//! The route table. Every route is registered through `utoipa-axum`, so a route that is not in
//! the OpenAPI document cannot exist.

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::handlers::{cipher, hash};
use crate::state::CryptoState;

#[derive(OpenApi)]
#[openapi(tags((name = "crypto", description = "Hashing, HMAC, encryption, keys, signatures, JWT, random values, passwords, TOTP, webhooks")))]
struct CryptoApi;

/// The router (state applied) and its OpenAPI document.
pub fn router(state: CryptoState) -> (Router, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(CryptoApi::openapi())
        // Digests and MACs: the hot path of most automations.
        .routes(routes!(hash::hash))
        .routes(routes!(hash::hmac_sign))
        .routes(routes!(hash::hmac_verify))
        // Authenticated encryption with a key or passphrase.
        .routes(routes!(cipher::encrypt))
        .routes(routes!(cipher::decrypt))
        .split_for_parts();
    (router.with_state(state), doc)
}
