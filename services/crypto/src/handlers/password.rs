//! `POST /api/v1/crypto/password/hash`, `/password/verify`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::config::Config;
use crate::password::{self, CostLimits, PasswordAlgorithm, PasswordParams, Verdict};

fn cost_limits(l: &Config) -> CostLimits {
    CostLimits {
        argon2_memory_kib: l.kdf.max_m,
        argon2_iterations: l.kdf.max_t,
        ..CostLimits::default()
    }
}

/// Hash a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"password":"correct horse battery staple"}))]
pub struct PasswordHashRequest {
    /// The password.
    pub password: String,
    /// `argon2id` (default), `bcrypt`, `scrypt`, `pbkdf2-sha256` or `pbkdf2-sha512`.
    #[serde(default)]
    pub algorithm: PasswordAlgorithm,
    /// Cost parameters (each algorithm has safe defaults).
    #[serde(default)]
    pub params: PasswordParams,
}

/// The hash.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"hash":"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$J8tq9mKq4Lp0Y1jZ3xQ7cH0rL9dN2vB6wE5tU8iO3aA","algorithm":"argon2id"}))]
pub struct PasswordHashResponse {
    /// PHC string, or `$2b$…` for bcrypt: store it as is.
    pub hash: String,
    /// The algorithm.
    pub algorithm: PasswordAlgorithm,
}

/// Hash a password with Argon2id (default), bcrypt, scrypt or PBKDF2.
#[utoipa::path(post, path = "/api/v1/crypto/password/hash", tag = "crypto",
    request_body = PasswordHashRequest,
    responses((status = 200, description = "The hash", body = PasswordHashResponse)))]
pub async fn password_hash(
    State(st): State<SharedState>,
    payload: Payload<PasswordHashRequest>,
) -> Response {
    let lim = cost_limits(&st.config);
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "password_hash"), move |r| {
            let hash = password::hash(r.algorithm, &r.password, &r.params, &lim)?;
            Ok(PasswordHashResponse {
                hash,
                algorithm: r.algorithm,
            })
        })
        .await
}

/// Verify a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password":"correct horse battery staple","hash":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}))]
pub struct PasswordVerifyRequest {
    /// The password.
    pub password: String,
    /// The stored hash: PHC (`$argon2id$`, `$scrypt$`, `$pbkdf2-sha256$`) or bcrypt (`$2a$`, `$2b$`, `$2y$`).
    pub hash: String,
}

/// Verify a password against a hash made here or by another system.
#[utoipa::path(post, path = "/api/v1/crypto/password/verify", tag = "crypto",
    request_body = PasswordVerifyRequest,
    responses((status = 200, description = "The verdict", body = Verdict)))]
pub async fn password_verify(
    State(st): State<SharedState>,
    payload: Payload<PasswordVerifyRequest>,
) -> Response {
    let lim = cost_limits(&st.config);
    payload
        .respond_on(&st.cpu, true, (crate::NAME, "password_verify"), move |r| {
            Ok(password::verify(&r.password, &r.hash, &lim)?)
        })
        .await
}
