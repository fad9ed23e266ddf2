//! The data-transform service's one error type, used by every domain module (conversion,
//! spreadsheets, XML, JSON operations, dates, HTML, templates, jq). It names no HTTP status: the
//! kit's `DomainError` conversion turns it into the envelope.

flowforge_kit::domain_error! {
    /// A failure about one request field, with a message that says what to send instead.
    pub enum DataError {
        /// Bad input: data that does not parse as its format, an option out of range, a filter
        /// or template with a syntax error, a limit on the input's size or depth.
        Invalid(invalid) => Invalid,
        /// Well-formed input whose processing failed: a jq filter raised an error or reached a
        /// limit, a template failed while rendering, a JSON Patch `test` did not hold.
        Failed(failed) => Unprocessable,
        /// Our fault (a value we wrote did not read back): logged, answered as a 500.
        Internal(internal) => Internal,
    }
}

impl DataError {
    /// Input nested deeper than the configured limit.
    pub fn too_deep(field: &str, limit: usize) -> Self {
        DataError::invalid(
            field,
            format!("nests deeper than {limit} levels (DATA_MAX_DEPTH)"),
        )
    }
}
