//! The data-transform service behind the kit, and helpers every test module uses.

use axum::Router;
use axum::http::StatusCode;
pub use flowforge_testkit::{assert_field as field, post};
use serde_json::Value;

pub fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_data::service, flowforge_data::PORT, vars)
}

/// Status and body, without the request id an error carries.
pub fn answer((s, _, b): (StatusCode, String, Vec<u8>)) -> (StatusCode, Value) {
    let mut v: Value = serde_json::from_slice(&b).unwrap();
    if let Some(e) = v.get_mut("error").and_then(Value::as_object_mut) {
        e.remove("requestId");
    }
    (s, v)
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
