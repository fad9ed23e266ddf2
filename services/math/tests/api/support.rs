//! The math service behind the kit, for every test module.

use axum::Router;
pub use flowforge_testkit::post;
use serde_json::Value;

pub fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_math::service, flowforge_math::PORT, vars)
}

#[track_caller]
pub fn field(v: &Value, f: &str) {
    flowforge_testkit::assert_field(v, "VALIDATION_ERROR", f);
}
