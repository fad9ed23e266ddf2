//! The crypto service's one error type, and its mapping onto the API error envelope.

use flowforge_kit::ApiError;

/// What kind of failure: bad input (400), well-formed input that fails a cryptographic check
/// (422: wrong key, tampered data, bad signature, expired token), or our own fault (500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request is malformed or a value is out of range.
    Invalid,
    /// The input is well formed but a cryptographic check failed.
    Rejected,
    /// Something that should not happen.
    Internal,
}

/// A crypto failure about one field, with a message that says what to send instead.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CryptoError {
    /// The kind of failure.
    pub kind: Kind,
    /// The request field at fault.
    pub field: String,
    /// What was wrong.
    pub message: String,
}

impl CryptoError {
    /// Bad input in `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CryptoError {
            kind: Kind::Invalid,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A cryptographic check on `field` failed.
    pub fn rejected(field: impl Into<String>, message: impl Into<String>) -> Self {
        CryptoError {
            kind: Kind::Rejected,
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal failure (logged, not shown).
    pub fn internal(message: impl Into<String>) -> Self {
        CryptoError {
            kind: Kind::Internal,
            field: String::new(),
            message: message.into(),
        }
    }
}

impl From<CryptoError> for ApiError {
    fn from(e: CryptoError) -> ApiError {
        match e.kind {
            Kind::Invalid => ApiError::field(e.field, e.message),
            Kind::Rejected => ApiError::unprocessable(e.field, e.message),
            Kind::Internal => ApiError::internal(e.message),
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, CryptoError>;
