//! The image service's one error type, used by decoding, the operations, encoding and metadata.
//! It names no HTTP status: the kit's [`DomainError`] conversion turns it into the envelope.

flowforge_kit::domain_error! {
    /// A failure about one request field (or the image itself), with a message that says what
    /// to send instead.
    pub enum ImageError {
        /// A bad option, or a truncated or corrupt image.
        Invalid(invalid) => Invalid,
        /// The body is not an image, or not in a format this service reads.
        Unsupported(unsupported_about) => Unsupported,
        /// Valid options that cannot apply to this image: too many pixels in or out, a crop
        /// outside the image, an output format that cannot hold it.
        Impossible(impossible) => Unprocessable,
        /// Something that should not happen (logged, never shown).
        Internal(internal_about) => Internal,
    }
}

impl ImageError {
    /// The body is not an image this service reads (415).
    pub fn unsupported(message: impl Into<String>) -> Self {
        ImageError::unsupported_about("", message)
    }

    /// An internal failure (500, logged).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        ImageError::internal_about("", message.to_string())
    }

    /// An error about the request's image names the field it came in (`data`, `url`, `file`;
    /// nothing for the raw body), so a 415 says which input is not an image.
    pub fn from_input(self, field: &str) -> Self {
        match self {
            ImageError::Unsupported { field: f, message } if f.is_empty() && field != "body" => {
                ImageError::unsupported_about(field, message)
            }
            other => other,
        }
    }

    /// The same error about the image at `prefix` (`overlay`, `operations[2]`).
    pub fn prefixed(self, prefix: &str) -> Self {
        let join = |field: String| flowforge_kit::error::join_path(prefix, &field);
        match self {
            ImageError::Invalid { field, message } => ImageError::invalid(join(field), message),
            ImageError::Impossible { field, message } => {
                ImageError::impossible(join(field), message)
            }
            // The image at `prefix` is not one this service reads: a bad value of that field.
            ImageError::Unsupported { message, .. } => ImageError::invalid(prefix, message),
            other => other,
        }
    }
}
