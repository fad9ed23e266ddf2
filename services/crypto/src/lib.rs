//! FlowForge crypto service (`/api/v1/crypto/…`, port 3001): hashing, HMAC, authenticated
//! encryption, keys, signatures, JWT, random values, password hashing, HKDF, TOTP, webhook
//! signature checks and decryption of what other tools produced. Run it alone with
//! `cargo run -p flowforge-crypto`, or inside `flowforge serve`.

use std::time::Duration;

use flowforge_kit::{ConfigError, Context, RouteLimits, Service};

pub mod cipher;
pub mod encoding;
pub mod error;
pub mod handlers;
pub mod hash;
pub mod jwt;
pub mod kdf;
pub mod keys;
pub mod legacy;
pub mod mac;
pub mod otp;
pub mod password;
pub mod random;
pub mod routes;
pub mod sign;
pub mod state;
pub mod webhook;

pub use flowforge_kit::time;

/// The service name, as in `/api/v1/crypto`.
pub const NAME: &str = "crypto";
/// The port the service listens on when run alone.
pub const PORT: u16 = 3001;
/// The largest upload a gateway in front should let through, in MiB: `/hash` streams raw
/// bodies up to `CRYPTO_STREAM_LIMIT` (1 GiB by default).
pub const MAX_UPLOAD_MB: u64 = 1024;

/// Build the service from the process context.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let limits = state::Limits::from_env(ctx.env.as_ref(), ctx.config.body_limit)?;
    let stream = limits.stream_body;
    let st = state::CryptoState {
        cpu: ctx.cpu.clone(),
        limits,
    };
    let (router, openapi) = routes::router(st);
    Ok(Service::new(NAME, router, openapi).limit(
        "/api/v1/crypto/hash",
        RouteLimits {
            body: Some(stream),
            timeout: Some(Duration::from_secs(600)),
        },
    ))
}
