//! The JSON error envelope every FlowForge endpoint answers with, and the stable error codes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id;

/// A stable, documented error code. Each code has one HTTP status family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The request was understood but a field is wrong (400 or 422).
    ValidationError,
    /// No credentials, or wrong ones (401).
    Unauthorized,
    /// Credentials are valid but do not allow this (403).
    Forbidden,
    /// No such route or resource (404).
    NotFound,
    /// The route exists but not for this method (405).
    MethodNotAllowed,
    /// The body is larger than the route's limit (413).
    PayloadTooLarge,
    /// The Content-Type is not one the route accepts (415).
    UnsupportedMediaType,
    /// Over the rate limit; see Retry-After (429).
    RateLimited,
    /// A bug on our side; the request id helps find it in the logs (500).
    InternalError,
    /// A backend the service depends on answered badly (502).
    UpstreamError,
    /// Overloaded or a dependency is down; retry after Retry-After (503).
    ServiceUnavailable,
    /// The operation ran past the route's time limit (504).
    Timeout,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationError => "VALIDATION_ERROR",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::InternalError => "INTERNAL_ERROR",
            ErrorCode::UpstreamError => "UPSTREAM_ERROR",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorCode::Timeout => "TIMEOUT",
        }
    }

    /// The default HTTP status for the code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::ValidationError => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::UpstreamError => StatusCode::BAD_GATEWAY,
            ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }
}

/// One field-level problem: which field (a path such as `items[2].algorithm`) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `items[2].algorithm`; `body` for the whole body.
    pub field: String,
    /// What was wrong and what to send instead.
    pub message: String,
}

/// An API error: a code, a message that stands on its own, and per-field details.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// The stable error code.
    pub code: ErrorCode,
    /// The HTTP status (usually `code.status()`; 422 for some validation errors).
    pub status: StatusCode,
    /// A message a user can act on without reading anything else.
    pub message: String,
    /// Per-field problems.
    pub details: Vec<FieldError>,
    /// Seconds after which a retry may succeed (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with the code's default status and no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            status: code.status(),
            message: message.into(),
            details: Vec::new(),
            retry_after: None,
        }
    }

    /// A 400 VALIDATION_ERROR about one field. The message is `field: what`, so it stands alone.
    pub fn field(field: impl Into<String>, what: impl Into<String>) -> Self {
        let field = field.into();
        let what = what.into();
        ApiError {
            code: ErrorCode::ValidationError,
            status: StatusCode::BAD_REQUEST,
            message: format!("{field}: {what}"),
            details: vec![FieldError {
                field,
                message: what,
            }],
            retry_after: None,
        }
    }

    /// A 422 VALIDATION_ERROR: the input is well formed but cannot be processed
    /// (a tampered ciphertext, a signature that does not verify, an expired token).
    pub fn unprocessable(field: impl Into<String>, what: impl Into<String>) -> Self {
        let mut e = Self::field(field, what);
        e.status = StatusCode::UNPROCESSABLE_ENTITY;
        e
    }

    /// A 500 INTERNAL_ERROR. The cause is logged, never sent to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let request_id = request_id::current();
        tracing::error!(request_id = request_id.as_deref(), cause = %cause, "internal error");
        Self::new(
            ErrorCode::InternalError,
            "internal error; report the request id to the operator",
        )
    }

    /// A 503 SERVICE_UNAVAILABLE with Retry-After.
    pub fn unavailable(message: impl Into<String>, retry_after: u64) -> Self {
        let mut e = Self::new(ErrorCode::ServiceUnavailable, message);
        e.retry_after = Some(retry_after);
        e
    }

    /// Prefix every detail's field with `prefix` (used for batch items: `items[2]`).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        for d in &mut self.details {
            d.field = join_path(prefix, &d.field);
        }
        if let Some(first) = self.details.first() {
            self.message = format!("{}: {}", first.field, first.message);
        } else {
            self.message = format!("{prefix}: {}", self.message);
        }
        self
    }

    /// Replace the code, and the status with the code's own.
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self.status = code.status();
        self
    }

    /// Replace the status (keeping the code).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The envelope body, with the current request id.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorObject {
                code: self.code,
                message: self.message.clone(),
                details: self.details.clone(),
                request_id: request_id::current(),
            },
        }
    }
}

/// What kind of failure a service's domain reports, in its own terms (no HTTP): the kit maps
/// each kind to one status and code, in [`From<E: DomainError> for ApiError`](ApiError), the
/// one place that mapping lives (as qdrant and meilisearch keep theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request is malformed or a value is out of range: 400 VALIDATION_ERROR.
    Invalid,
    /// Well formed, but it has no answer: a signature that does not verify, a singular matrix, a
    /// jq filter that raised an error: 422 VALIDATION_ERROR.
    Unprocessable,
    /// The input is larger than a configured limit: 413 PAYLOAD_TOO_LARGE.
    TooLarge,
    /// The input is in a format this operation does not read: 415 UNSUPPORTED_MEDIA_TYPE.
    Unsupported,
    /// The request asks for something that is not allowed (a URL to a private address): 403.
    Forbidden,
    /// Our fault: 500 INTERNAL_ERROR; the message is logged, never sent.
    Internal,
    /// Something the operation needs is not there (a model file, a native library): 503
    /// SERVICE_UNAVAILABLE, with a message saying how to provide it.
    Unavailable,
    /// The work ran past its time limit: 504 TIMEOUT.
    Timeout,
}

/// A service's error, HTTP-free: which kind of failure, which request field, and a message that
/// says what to send instead. Each service has one enum implementing it (its `error.rs`); the
/// blanket conversion below turns any of them into the envelope, so no service maps statuses.
pub trait DomainError: std::fmt::Debug {
    /// The kind of failure.
    fn kind(&self) -> Kind;
    /// The request field at fault (`algorithm`, `items[2].data`, `body` for the whole request).
    fn field(&self) -> &str;
    /// What was wrong and what to send instead, without the field's name.
    fn hint(&self) -> String;
}

impl<E: DomainError> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        let code = match e.kind() {
            Kind::Invalid | Kind::Unprocessable => ErrorCode::ValidationError,
            Kind::TooLarge => ErrorCode::PayloadTooLarge,
            Kind::Unsupported => ErrorCode::UnsupportedMediaType,
            Kind::Forbidden => ErrorCode::Forbidden,
            Kind::Internal => return ApiError::internal(format!("{}: {}", e.field(), e.hint())),
            Kind::Unavailable => return ApiError::unavailable(e.hint(), 60),
            Kind::Timeout => return ApiError::new(ErrorCode::Timeout, e.hint()),
        };
        let field = e.field();
        // An error about the request as a whole reads as its hint alone; one about a field
        // starts with the field's name, so the message stands on its own.
        let mut err = if field.is_empty() {
            let mut a = ApiError::new(code, e.hint());
            a.details.push(FieldError {
                field: "body".into(),
                message: e.hint(),
            });
            a
        } else {
            ApiError::field(field, e.hint()).with_code(code)
        };
        if e.kind() == Kind::Unprocessable {
            err.status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        err
    }
}

/// Join a path prefix and a field path: `items[2]` + `algorithm` = `items[2].algorithm`.
pub fn join_path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() || prefix == "body" {
        field.to_string()
    } else if field.is_empty() || field == "body" {
        prefix.to_string()
    } else if field.starts_with('[') {
        format!("{prefix}{field}")
    } else {
        format!("{prefix}.{field}")
    }
}

/// The error envelope: `{"error":{...}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorObject,
}

/// The inside of the envelope.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorObject {
    /// Stable error code.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: ErrorCode,
    /// What went wrong and what to send instead.
    #[schema(
        example = "algorithm: unknown variant `sha265`, expected one of `md5`, `sha1`, `sha256`"
    )]
    pub message: String,
    /// Per-field problems.
    pub details: Vec<FieldError>,
    /// The request id (also in the `X-Request-ID` header and the logs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res.extensions_mut().insert(ErrorCodeTag(self.code));
        res
    }
}

/// Marks a response as an error envelope (used by metrics and logs).
#[derive(Debug, Clone, Copy)]
pub struct ErrorCodeTag(pub ErrorCode);

/// Declare a service's one error enum: each variant carries the request `field` and a `message`
/// that says what to send instead, has a constructor, and maps to a [`Kind`]; the enum gets
/// `Display` (`field: message`), `Error` and [`DomainError`], so `?` turns it into the envelope.
///
/// ```
/// flowforge_kit::domain_error! {
///     /// The example service's error.
///     pub enum ExampleError {
///         /// Bad input.
///         Invalid(invalid) => Invalid,
///         /// Well formed, no answer.
///         NoAnswer(no_answer) => Unprocessable,
///     }
/// }
/// let e = ExampleError::invalid("width", "must be at least 1");
/// assert_eq!(e.to_string(), "width: must be at least 1");
/// let api: flowforge_kit::ApiError = e.into();
/// assert_eq!(api.status.as_u16(), 400);
/// ```
#[macro_export]
macro_rules! domain_error {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ctor:ident) => $kind:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant {
                    /// The request field at fault (empty for the request as a whole).
                    field: String,
                    /// What was wrong and what to send instead.
                    message: String,
                },
            )+
        }

        impl $name {
            $(
                #[doc = concat!("A failure of kind `", stringify!($variant), "` about `field`.")]
                pub fn $ctor(field: impl Into<String>, message: impl Into<String>) -> Self {
                    $name::$variant {
                        field: field.into(),
                        message: message.into(),
                    }
                }
            )+
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let field = $crate::DomainError::field(self);
                let message = $crate::DomainError::hint(self);
                if field.is_empty() {
                    f.write_str(&message)
                } else {
                    write!(f, "{field}: {message}")
                }
            }
        }

        impl ::std::error::Error for $name {}

        impl $crate::DomainError for $name {
            fn kind(&self) -> $crate::Kind {
                match self {
                    $( $name::$variant { .. } => $crate::Kind::$kind, )+
                }
            }

            fn field(&self) -> &str {
                match self {
                    $( $name::$variant { field, .. } => field, )+
                }
            }

            fn hint(&self) -> String {
                match self {
                    $( $name::$variant { message, .. } => message.clone(), )+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_paths_read_like_the_request() {
        let e = ApiError::field("algorithm", "unknown").prefixed("items[2]");
        assert_eq!(e.details[0].field, "items[2].algorithm");
        assert_eq!(e.message, "items[2].algorithm: unknown");
        assert_eq!(join_path("items", "[0]"), "items[0]");
        assert_eq!(join_path("body", "a"), "a");
    }

    #[test]
    fn codes_map_to_statuses() {
        assert_eq!(ErrorCode::Timeout.status(), StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(ErrorCode::RateLimited.as_str(), "RATE_LIMITED");
    }
}
