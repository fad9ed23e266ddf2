//! The PDF service's one error type, used by loading, page selection and every operation. It
//! names no HTTP status: the kit's `DomainError` conversion turns it into the envelope.

flowforge_kit::domain_error! {
    /// A failure about one request field (or one of its files), with a message that says what
    /// to send instead.
    pub enum PdfError {
        /// A bad option, a page selection outside the document, a damaged or truncated file,
        /// a missing or wrong password.
        Invalid(invalid) => Invalid,
        /// The file is not a PDF.
        Unsupported(unsupported) => Unsupported,
        /// More pages (or more decompressed bytes) than this service is configured to take.
        TooLarge(too_large) => TooLarge,
        /// Something that should not happen (logged, never shown).
        Internal(internal) => Internal,
        /// The renderer (PDFium) is not installed and could not be fetched.
        Unavailable(unavailable) => Unavailable,
        /// Rendering ran past the time limit.
        Timeout(timeout_about) => Timeout,
    }
}

impl PdfError {
    /// Work that ran past its time limit (504), with what to do instead.
    pub fn timeout(message: impl Into<String>) -> Self {
        PdfError::timeout_about("", message)
    }
}
