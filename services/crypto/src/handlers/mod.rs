//! HTTP handlers, one file per URL area (`/api/v1/crypto/<area>/…` is `handlers/<area>.rs`),
//! each with its request and response types. Thin: extract, call the domain, respond.

use std::sync::Arc;

use flowforge_kit::CpuPool;

use crate::config::Config;

pub mod decrypt;
pub mod encrypt;
pub mod hash;
pub mod hmac;
pub mod jwt;
pub mod kdf;
pub mod keys;
pub mod legacy;
pub mod password;
pub mod random;
pub mod sign;
pub mod totp;
pub mod verify;
pub mod webhook;

/// Shared state of the crypto handlers.
#[derive(Debug, Clone)]
pub struct CryptoState {
    /// The pool for heavy work.
    pub cpu: CpuPool,
    /// The limits.
    pub config: Config,
}

/// The state as handlers receive it: cloning it per request is one reference-count increment.
pub type SharedState = Arc<CryptoState>;
