//! `POST /api/v1/math/evaluate`.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};

/// Evaluate an expression.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"expression":"x^2 + y","variables":{"x":3,"y":1}}))]
pub struct EvaluateRequest {
    /// The expression: `+ - * / % ^`, `!`, comparisons, `and or not`, `c ? a : b`, functions
    /// (abs, sqrt, cbrt, exp, ln, log(x[, base]), log2, log10, trig and hyperbolic and their
    /// inverses, atan2, round(x[, digits]), floor, ceil, trunc, sign, min, max, sum, mean, median,
    /// factorial, gcd, lcm, combinations, permutations, mod, hypot, pow), constants pi, e, tau, phi;
    /// units after numbers (`5 cm + 2 inch in mm`, `60 mph to km/h`, `100 degC to degF`,
    /// `1 GiB to MB`, `90 min to h`; see docs/math.md for the list).
    pub expression: String,
    /// Variable values (they take precedence over unit names).
    #[serde(default)]
    pub variables: HashMap<String, f64>,
    /// Evaluate once per set (each merged over `variables`); answers `results`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<HashMap<String, f64>>>)]
    pub variable_sets: Option<crate::sets::VariableSets>,
    /// Significant digits of the answer.
    #[serde(default)]
    pub precision: Option<u32>,
    /// `float` (default) or `decimal` (exact base-10, for money).
    #[serde(default)]
    pub mode: crate::evaluate::EvalMode,
}

/// The value (or values).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"result":10,"expression":"x^2 + y"}))]
pub struct EvaluateResponse {
    /// The value (`null` when not finite, e.g. 1/0), in `unit` when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Option<f64>>,
    /// One value per variable set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<Option<f64>>>,
    /// The unit of the value(s), when the expression has units (`mm`, `km/h`, `m/s^2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Decimal mode: the exact value as text (`"0.3"`); JSON numbers are doubles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Decimal mode with variable sets: each exact value as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_results: Option<Vec<String>>,
    /// The expression.
    pub expression: String,
}

/// Evaluate an expression, for one set of variables or many.
#[utoipa::path(post, path = "/api/v1/math/evaluate", tag = "math", request_body = EvaluateRequest,
    responses((status = 200, description = "The value", body = EvaluateResponse)))]
pub async fn evaluate(State(st): State<St>, p: Payload<EvaluateRequest>) -> Response {
    let lim = st.config.expr;
    let max_sets = st.config.max_sets;
    let heavy = match &p {
        Payload::One(r) => r.variable_sets.as_ref().is_some_and(|s| s.len() > 1000),
        Payload::Batch(_) => true,
    };
    respond(&st, heavy, "evaluate", p, move |r| {
        let a = crate::evaluate::evaluate(
            &r.expression,
            &r.variables,
            r.variable_sets.as_ref(),
            r.precision,
            r.mode,
            &lim,
            max_sets,
        )?;
        Ok(EvaluateResponse {
            result: a.result,
            results: a.results,
            unit: a.unit,
            exact: a.exact,
            exact_results: a.exact_results,
            expression: r.expression,
        })
    })
    .await
}
