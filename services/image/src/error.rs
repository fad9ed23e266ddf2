//! The image service's one error type, used by decoding, the operations, encoding and metadata.
//! It names no HTTP status: the kit's [`DomainError`] conversion turns it into the envelope.

use flowforge_kit::{DomainError, Kind};

/// A failure about one request field (or the image itself), with a message that says what to
/// send instead.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImageError {
    /// A bad option, or a truncated or corrupt image.
    #[error("{field}: {message}")]
    Invalid {
        /// The option at fault (`width`, `quality`), or `file` for the image.
        field: String,
        /// What was wrong and what to send instead.
        message: String,
    },
    /// The body is not an image, or not in a format this service reads.
    #[error("{0}")]
    Unsupported(String),
    /// Valid options that cannot apply to this image: too many pixels in or out, a crop outside
    /// the image, an output format that cannot hold it.
    #[error("{field}: {message}")]
    Impossible {
        /// The option (or limit) at fault.
        field: String,
        /// Why, and what to send instead.
        message: String,
    },
    /// Something that should not happen (logged, never shown).
    #[error("internal: {0}")]
    Internal(String),
}

impl ImageError {
    /// A bad option in `field` (400).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ImageError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Options that cannot apply to this image (422).
    pub fn impossible(field: impl Into<String>, message: impl Into<String>) -> Self {
        ImageError::Impossible {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal failure (500, logged).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        ImageError::Internal(message.to_string())
    }

    /// The same error about the image at `prefix` (`overlay`, `operations[2]`).
    pub fn prefixed(self, prefix: &str) -> Self {
        let join = |field: String| flowforge_kit::error::join_path(prefix, &field);
        match self {
            ImageError::Invalid { field, message } => ImageError::Invalid {
                field: join(field),
                message,
            },
            ImageError::Impossible { field, message } => ImageError::Impossible {
                field: join(field),
                message,
            },
            ImageError::Unsupported(m) => ImageError::Invalid {
                field: prefix.to_string(),
                message: m,
            },
            other => other,
        }
    }
}

impl DomainError for ImageError {
    fn kind(&self) -> Kind {
        match self {
            ImageError::Invalid { .. } => Kind::Invalid,
            ImageError::Unsupported(_) => Kind::Unsupported,
            ImageError::Impossible { .. } => Kind::Unprocessable,
            ImageError::Internal(_) => Kind::Internal,
        }
    }

    fn field(&self) -> &str {
        match self {
            ImageError::Invalid { field, .. } | ImageError::Impossible { field, .. } => field,
            ImageError::Unsupported(_) | ImageError::Internal(_) => "",
        }
    }

    fn hint(&self) -> String {
        match self {
            ImageError::Invalid { message, .. } | ImageError::Impossible { message, .. } => {
                message.clone()
            }
            ImageError::Unsupported(m) | ImageError::Internal(m) => m.clone(),
        }
    }
}
