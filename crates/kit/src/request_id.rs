//! Request ids: `X-Request-ID` is taken when the client (or Kong's correlation-id plugin) sends a
//! sane one, otherwise made (UUID v7); it is returned in the header, put in every error envelope,
//! and written on the request's log line.

use axum::http::{HeaderName, HeaderValue, Request};

/// The header name.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    // A HeaderValue: cloning it for the header and the task is a reference-count bump.
    static CURRENT: HeaderValue;
}

/// The request id of the request being served on this task, if any.
pub fn current() -> Option<String> {
    CURRENT
        .try_with(|id| id.to_str().unwrap_or_default().to_string())
        .ok()
}

/// Run `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: HeaderValue, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}

/// The request id stored in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Take a client-supplied id if it is 1 to 128 visible ASCII characters (kept as the client's
/// own header value, no copy), else make one.
pub fn take_or_make<B>(req: &Request<B>) -> HeaderValue {
    req.headers()
        .get(&X_REQUEST_ID)
        .filter(|v| {
            let b = v.as_bytes();
            !b.is_empty() && b.len() <= 128 && b.iter().all(|c| c.is_ascii_graphic())
        })
        .cloned()
        .unwrap_or_else(|| header_value(&new_id()))
}

thread_local! {
    static RNG: std::cell::Cell<u64> = std::cell::Cell::new(seed());
}

fn seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // Distinct per thread even when started in the same nanosecond.
    let local = 0u8;
    (t ^ (std::ptr::from_ref(&local) as u64).rotate_left(32)) | 1
}

/// A new time-ordered id (UUID v7). Ids are not secrets, so a per-thread xorshift generator
/// replaces the process-wide lock and the system RNG that `Uuid::now_v7` uses.
pub fn new_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let (a, b) = RNG.with(|r| {
        let mut x = r.get();
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let v = (next(), next());
        r.set(x);
        v
    });
    let mut rand = [0u8; 10];
    rand[..8].copy_from_slice(&a.to_le_bytes());
    rand[8..].copy_from_slice(&b.to_le_bytes()[..2]);
    let id = uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid();
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    id.hyphenated().encode_lower(&mut buf).to_string()
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
        let id = take_or_make(&req);
        assert_eq!(id.len(), 36);
        let parsed = uuid::Uuid::parse_str(id.to_str().unwrap()).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert_ne!(new_id(), new_id());
    }
}
