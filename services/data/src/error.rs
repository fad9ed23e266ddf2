//! The data-transform service's one error type, used by every domain module (conversion,
//! spreadsheets, XML, JSON operations, dates, HTML, templates, jq). It names no HTTP status: the
//! kit's [`DomainError`] conversion turns it into the envelope.

use flowforge_kit::{DomainError, Kind};

/// A failure about one request field, with a message that says what to send instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    /// Bad input: data that does not parse as its format, an option out of range, a filter or
    /// template with a syntax error, a limit on the input's size or depth.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault (`data`, `delimiter`, `patch[2].path`, `filter`).
        field: String,
        /// What was wrong and what to send instead.
        message: String,
    },
    /// Well-formed input whose processing failed: a jq filter raised an error or reached a
    /// limit, a template failed while rendering, a JSON Patch `test` did not hold.
    #[error("{field}: {message}")]
    Failed {
        /// The field whose processing failed.
        field: String,
        /// What happened, and what to do instead.
        message: String,
    },
}

impl DataError {
    /// Bad input in `field` (400).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DataError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Processing `field` failed (422).
    pub fn failed(field: impl Into<String>, message: impl Into<String>) -> Self {
        DataError::Failed {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl DomainError for DataError {
    fn kind(&self) -> Kind {
        match self {
            DataError::Invalid { .. } => Kind::Invalid,
            DataError::Failed { .. } => Kind::Unprocessable,
        }
    }

    fn field(&self) -> &str {
        match self {
            DataError::Invalid { field, .. } | DataError::Failed { field, .. } => field,
        }
    }

    fn hint(&self) -> String {
        match self {
            DataError::Invalid { message, .. } | DataError::Failed { message, .. } => {
                message.clone()
            }
        }
    }
}
