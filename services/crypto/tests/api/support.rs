//! The crypto service behind the kit, for every test module; the request helpers are the
//! testkit's.

use axum::Router;
pub use flowforge_testkit::{assert_envelope, call_json as send, post};

/// The crypto service behind the kit, configured by `vars`.
pub fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_crypto::service, flowforge_crypto::PORT, vars)
}

/// The crypto service with default configuration.
pub fn app() -> Router {
    app_with(&[])
}
