//! The crypto service's one error type. It names no HTTP status: the kit's `DomainError`
//! conversion turns it into the envelope.

flowforge_kit::domain_error! {
    /// A crypto failure about one request field, with a message that says what to send instead.
    pub enum CryptoError {
        /// The request is malformed or a value is out of range (a key of the wrong length, an
        /// unknown algorithm, a cost over the configured limit).
        Invalid(invalid) => Invalid,
        /// The input is well formed but a cryptographic check failed: a wrong key or
        /// passphrase, altered data, a signature that does not verify, an expired token.
        Rejected(rejected) => Unprocessable,
        /// Something that should not happen (logged, never shown).
        Internal(internal_about) => Internal,
    }
}

impl CryptoError {
    /// An internal failure (logged, not shown).
    pub fn internal(message: impl Into<String>) -> Self {
        CryptoError::internal_about("", message)
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, CryptoError>;
