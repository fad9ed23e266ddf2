//! Request ids: `X-Request-ID` is taken when the client (or Kong's correlation-id plugin) sends a
//! sane one, otherwise made (UUID v7); it is returned in the header, put in every error envelope,
//! and written on the request's log line.

use axum::http::{HeaderName, HeaderValue, Request};

/// The header name.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static CURRENT: String;
}

/// The request id of the request being served on this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.clone()).ok()
}

/// Run `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}

/// The request id stored in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Take a client-supplied id if it is 1 to 128 visible ASCII characters, else make one.
pub fn take_or_make<B>(req: &Request<B>) -> String {
    req.headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

/// Header value for an id produced by [`take_or_make`] (always valid).
pub fn header_value(id: &str) -> HeaderValue {
    HeaderValue::from_str(id).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_client_id_is_kept_and_a_bad_one_replaced() {
        let req = Request::builder()
            .header("x-request-id", "abc-123")
            .body(())
            .unwrap();
        assert_eq!(take_or_make(&req), "abc-123");
        let req = Request::builder()
            .header("x-request-id", "has space")
            .body(())
            .unwrap();
        assert_ne!(take_or_make(&req), "has space");
        let req = Request::builder().body(()).unwrap();
        assert_eq!(take_or_make(&req).len(), 36);
    }
}
