//! FlowForge crypto service (`/api/v1/crypto/…`, port 3001): hashing, HMAC, authenticated
//! encryption, keys, signatures, JWT, random values, password hashing, HKDF, TOTP, webhook
//! signature checks and decryption of what other tools produced. Run it alone with
//! `cargo run -p flowforge-crypto`, or inside `flowforge serve`.

use flowforge_kit::{ConfigError, Context, Descriptor, Service};

pub mod cipher;
pub use flowforge_jose::{encoding, jwt, keys, mac, sign};
pub mod config;
pub mod error;
pub mod handlers;
pub mod hash;
pub mod kdf;
pub mod legacy;
pub mod otp;
pub mod password;
pub mod random;
pub mod routes;
pub mod webhook;

pub use flowforge_kit::time;

/// The service name, as in `/api/v1/crypto`.
pub const NAME: &str = "crypto";
/// The port the service listens on when run alone.
pub const PORT: u16 = 3001;
/// The largest upload a gateway in front should let through, in MiB: `/hash` streams raw
/// bodies up to `CRYPTO_STREAM_LIMIT` (1 GiB by default).
pub const MAX_UPLOAD_MB: u64 = 1024;

/// The service as the registry knows it.
pub const DESCRIPTOR: Descriptor = Descriptor {
    name: NAME,
    port: PORT,
    summary: "hashing, HMAC, encryption, keys, signatures, JWT, random values, passwords, TOTP, webhooks",
    max_upload_mb: MAX_UPLOAD_MB,
    vars: config::VARS,
    build: service,
};

/// Build the service from the process context.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let config = config::Config::from_env(ctx.env.as_ref(), ctx.config.body_limit)?;
    Ok(routes::service(handlers::CryptoState {
        cpu: ctx.cpu.clone(),
        config,
    }))
}
