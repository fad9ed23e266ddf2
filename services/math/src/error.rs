//! The math service's one error type. It names no HTTP status: the kit's [`DomainError`]
//! conversion turns it into the envelope.

use flowforge_kit::{DomainError, Kind};

/// A failure about one request field, with a message that says what to send instead.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MathError {
    /// Bad input: a syntax error, an unknown function or unit, a value out of range, sizes that
    /// do not match.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault (`expression`, `a[1]`, `values`).
        field: String,
        /// What was wrong and what to send instead.
        message: String,
    },
    /// Well-formed input that has no answer: a singular matrix, a test on constant data.
    #[error("{field}: {message}")]
    NoAnswer {
        /// The field the answer depends on.
        field: String,
        /// Why there is none, and what to do instead.
        message: String,
    },
}

impl MathError {
    /// Bad input in `field` (400).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        MathError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Values so large that a computation's sums overflow a double (beyond about ±1.8e308): no
    /// finite answer (422). Statistics of this kind are scale-free, so the message says to
    /// divide every value by the same power of ten.
    pub fn overflowed(field: impl Into<String>) -> Self {
        MathError::no_answer(
            field,
            "holds values so large that the sums overflow (beyond about 1.8e308); divide every value by the same power of ten (e.g. 1e300): the statistic and p-value do not change",
        )
    }

    /// `Ok(())` when every number in `xs` is finite, else [`MathError::overflowed`] about `field`.
    pub fn check_finite(field: &str, xs: &[f64]) -> std::result::Result<(), MathError> {
        if xs.iter().all(|x| x.is_finite()) {
            Ok(())
        } else {
            Err(MathError::overflowed(field))
        }
    }

    /// Well-formed input that has no answer (422).
    pub fn no_answer(field: impl Into<String>, message: impl Into<String>) -> Self {
        MathError::NoAnswer {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl DomainError for MathError {
    fn kind(&self) -> Kind {
        match self {
            MathError::Invalid { .. } => Kind::Invalid,
            MathError::NoAnswer { .. } => Kind::Unprocessable,
        }
    }

    fn field(&self) -> &str {
        match self {
            MathError::Invalid { field, .. } | MathError::NoAnswer { field, .. } => field,
        }
    }

    fn hint(&self) -> String {
        match self {
            MathError::Invalid { message, .. } | MathError::NoAnswer { message, .. } => {
                message.clone()
            }
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
