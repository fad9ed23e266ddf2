//! The math service's error type and its mapping onto the envelope.

use flowforge_kit::ApiError;

/// A failure about one field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{field}: {message}")]
pub struct MathError {
    /// 422 (well-formed but cannot be computed: a singular matrix) rather than 400.
    pub unprocessable: bool,
    /// The field at fault.
    pub field: String,
    /// What was wrong and what to send instead.
    pub message: String,
}

impl MathError {
    /// Bad input in `field` (400).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        MathError {
            unprocessable: false,
            field: field.into(),
            message: message.into(),
        }
    }

    /// Well-formed input that has no answer (422).
    pub fn no_answer(field: impl Into<String>, message: impl Into<String>) -> Self {
        MathError {
            unprocessable: true,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<MathError> for ApiError {
    fn from(e: MathError) -> ApiError {
        if e.unprocessable {
            ApiError::unprocessable(e.field, e.message)
        } else {
            ApiError::field(e.field, e.message)
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, MathError>;

/// JSON has no NaN or infinity: non-finite results are returned as `null` (documented in
/// docs/math.md), and finite ones as numbers.
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
