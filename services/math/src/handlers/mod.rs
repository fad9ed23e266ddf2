//! HTTP handlers, one file per URL area (`/api/v1/math/<area>/…` is `handlers/<area>.rs`),
//! each with its request and response types. Thin: extract, call the domain, respond.

use std::sync::Arc;

use axum::response::Response;
use flowforge_kit::{ApiError, CpuPool, Payload};
use serde::Serialize;

use crate::NAME;

/// Limits and the CPU pool.
#[derive(Debug, Clone)]
pub struct MathState {
    /// CPU pool for large inputs.
    pub cpu: CpuPool,
    /// The limits.
    pub config: crate::config::Config,
}

/// The state as handlers receive it.
pub type St = Arc<MathState>;

/// Whole numbers are written as integers (`14`, not `14.0`), as NumPy's users and JavaScript
/// clients expect; everything else as the shortest exact float.
fn tidy(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && n.is_f64()
                && f.fract() == 0.0
                && f.abs() < 9.007_199_254_740_992e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(tidy),
        serde_json::Value::Object(o) => o.values_mut().for_each(tidy),
        _ => {}
    }
}

/// A domain answer made JSON with whole numbers tidied.
pub(crate) fn json<R: Serialize>(r: R) -> Result<serde_json::Value, ApiError> {
    let mut v = serde_json::to_value(r).map_err(ApiError::internal)?;
    tidy(&mut v);
    Ok(v)
}

pub(crate) async fn respond<T, R, F>(
    st: &St,
    heavy: bool,
    op: &'static str,
    p: Payload<T>,
    f: F,
) -> Response
where
    T: Send + 'static,
    R: Serialize,
    F: Fn(T) -> Result<R, ApiError> + Send + 'static,
{
    p.respond_on(&st.cpu, heavy, (NAME, op), move |t: T| f(t).and_then(json))
        .await
}

pub mod distributions;
pub mod evaluate;
pub mod finance;
pub mod matrix;
pub mod regression;
pub mod statistics;
pub mod tests;
