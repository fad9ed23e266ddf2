//! The math service's one error type. It names no HTTP status: the kit's `DomainError`
//! conversion turns it into the envelope.

flowforge_kit::domain_error! {
    /// A failure about one request field, with a message that says what to send instead.
    pub enum MathError {
        /// Bad input: a syntax error, an unknown function or unit, a value out of range, sizes
        /// that do not match.
        Invalid(invalid) => Invalid,
        /// Well-formed input that has no answer: a singular matrix, a test on constant data,
        /// sums that overflow.
        NoAnswer(no_answer) => Unprocessable,
    }
}

impl MathError {
    /// The same error about a part of the request: `variableSets[3]` + `x` is
    /// `variableSets[3].x`.
    pub fn at(self, prefix: &str) -> Self {
        let join = |f: &str| flowforge_kit::error::join_path(prefix, f);
        match self {
            MathError::Invalid { field, message } => MathError::invalid(join(&field), message),
            MathError::NoAnswer { field, message } => MathError::no_answer(join(&field), message),
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
}

/// Result alias.
pub type Result<T> = std::result::Result<T, MathError>;

/// JSON has no NaN or infinity: non-finite results are returned as `null` (documented in
/// docs/math.md), and finite ones as numbers.
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
