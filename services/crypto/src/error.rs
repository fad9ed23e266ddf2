//! The crypto service's one error type. It names no HTTP status: the kit's [`DomainError`]
//! conversion turns it into the envelope.

use flowforge_kit::{DomainError, Kind};

/// A crypto failure about one request field, with a message that says what to send instead.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CryptoError {
    /// The request is malformed or a value is out of range (a key of the wrong length, an
    /// unknown algorithm, a cost over the configured limit).
    #[error("{field}: {message}")]
    Invalid {
        /// The request field at fault.
        field: String,
        /// What was wrong and what to send instead.
        message: String,
    },
    /// The input is well formed but a cryptographic check failed: a wrong key or passphrase,
    /// altered data, a signature that does not verify, an expired token.
    #[error("{field}: {message}")]
    Rejected {
        /// The request field the check was about.
        field: String,
        /// Which check failed.
        message: String,
    },
    /// Something that should not happen (logged, never shown).
    #[error("internal: {0}")]
    Internal(String),
}

impl CryptoError {
    /// Bad input in `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CryptoError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A cryptographic check on `field` failed.
    pub fn rejected(field: impl Into<String>, message: impl Into<String>) -> Self {
        CryptoError::Rejected {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal failure (logged, not shown).
    pub fn internal(message: impl Into<String>) -> Self {
        CryptoError::Internal(message.into())
    }
}

impl DomainError for CryptoError {
    fn kind(&self) -> Kind {
        match self {
            CryptoError::Invalid { .. } => Kind::Invalid,
            CryptoError::Rejected { .. } => Kind::Unprocessable,
            CryptoError::Internal(_) => Kind::Internal,
        }
    }

    fn field(&self) -> &str {
        match self {
            CryptoError::Invalid { field, .. } | CryptoError::Rejected { field, .. } => field,
            CryptoError::Internal(_) => "",
        }
    }

    fn hint(&self) -> String {
        match self {
            CryptoError::Invalid { message, .. } | CryptoError::Rejected { message, .. } => {
                message.clone()
            }
            CryptoError::Internal(m) => m.clone(),
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, CryptoError>;
