//! HTTP handlers: thin, they extract, call the domain and respond.

use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Serialize;

use crate::NAME;
use crate::state::CryptoState;

pub mod cipher;
pub mod hash;
pub mod jwt;
pub mod keys;
pub mod misc;
pub mod random;

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

/// Error responses every operation can give, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum Errors {
    /// The request is malformed or a field is wrong; `details` names the field.
    #[response(status = 400, example = json!({"error":{"code":"VALIDATION_ERROR","message":"algorithm: unknown variant `sha265`, expected one of `md5`, `sha1`, `sha224`, `sha256`","details":[{"field":"algorithm","message":"unknown variant `sha265`, expected one of `md5`, `sha1`, `sha224`, `sha256`"}],"requestId":"0193a5c2-7d1e-7b40-9f0e-2a1c3b4d5e6f"}}))]
    BadRequest(#[to_schema] flowforge_kit::ErrorBody),
    /// The body is larger than this route's limit.
    #[response(status = 413)]
    TooLarge(flowforge_kit::ErrorBody),
    /// The Content-Type is not accepted.
    #[response(status = 415)]
    WrongType(flowforge_kit::ErrorBody),
    /// Well-formed input that fails a cryptographic check (wrong key, altered data, bad signature, expired token).
    #[response(status = 422)]
    Rejected(flowforge_kit::ErrorBody),
    /// The CPU pool is full; retry after `Retry-After` seconds.
    #[response(status = 503)]
    Busy(flowforge_kit::ErrorBody),
}
