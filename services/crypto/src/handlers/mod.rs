//! HTTP handlers, one file per URL area (`/api/v1/crypto/<area>/…` is `handlers/<area>.rs`),
//! each with its request and response types. Thin: extract, call the domain, respond.

use std::sync::Arc;

use axum::response::Response;
use flowforge_kit::{ApiError, CpuPool, Payload};
use serde::Serialize;

use crate::NAME;
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

/// Answer a one-or-batch payload, on the CPU pool when `heavy`.
pub(crate) async fn respond<T, R, F>(
    st: &CryptoState,
    heavy: bool,
    op: &'static str,
    payload: Payload<T>,
    f: F,
) -> Response
where
    T: Send + 'static,
    R: Serialize,
    F: Fn(T) -> Result<R, ApiError> + Send + 'static,
{
    payload.respond_on(&st.cpu, heavy, (NAME, op), f).await
}
