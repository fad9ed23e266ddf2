//! `POST /api/v1/math/evaluate`.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::error::finite;
use crate::expr::{self, ExprLimits};

/// Round to `digits` significant digits.
fn significant(x: f64, digits: Option<u32>) -> f64 {
    match digits {
        Some(d) if x != 0.0 && x.is_finite() => {
            let d = d.clamp(1, 17) as i32;
            let mag = x.abs().log10().floor() as i32;
            let f = 10f64.powi(d - 1 - mag);
            if f.is_finite() {
                (x * f).round() / f
            } else {
                x
            }
        }
        _ => x,
    }
}

flowforge_kit::wire_enum! {
    /// How numbers are represented while evaluating.
    #[derive(Default)]
    pub enum EvalMode {
        /// IEEE-754 doubles (as NumPy and JavaScript); units and every function.
        #[default]
        Float = "float" | "number",
        /// Exact base-10 decimals for money: `0.1 + 0.2` is `0.3`; `+ - * / % ^`, abs, round
        /// (half away from zero), roundHalfEven, floor, ceil, trunc, sign, min, max, sum, mean, mod, pow.
        Decimal = "decimal" | "exact" | "bignumber",
    }
}

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
    pub mode: EvalMode,
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

/// One evaluation's answer: (number, unit, exact text).
type Answer = (Option<f64>, Option<String>, Option<String>);

fn evaluate_one(
    e: &expr::Expr,
    mode: EvalMode,
    units: bool,
    precision: Option<u32>,
    lim: &ExprLimits,
    vars: &dyn Fn(&str) -> Option<f64>,
) -> Result<Answer, crate::error::MathError> {
    Ok(match mode {
        EvalMode::Decimal => {
            let d = crate::decimal::eval(e, vars)?;
            let d = match precision {
                Some(p) => d.round_sf(p.clamp(1, 28)).unwrap_or(d),
                None => d,
            }
            .normalize();
            let f = d.to_string().parse::<f64>().ok();
            (f, None, Some(d.to_string()))
        }
        EvalMode::Float if units => {
            let (v, unit) = crate::quantity::eval(e, vars, lim)?.display();
            (finite(significant(v, precision)), unit, None)
        }
        EvalMode::Float => (
            finite(significant(expr::eval_with(e, vars, lim)?, precision)),
            None,
            None,
        ),
    })
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
        let e = expr::parse(&r.expression, lim)?;
        let units = expr::uses_units(&e, &|n| {
            r.variables.contains_key(n) || r.variable_sets.as_ref().is_some_and(|s| s.names(n))
        });
        if units && r.mode == EvalMode::Decimal {
            return Err(ApiError::field(
                "mode",
                "decimal mode has no units; use \"float\" for expressions with units",
            ));
        }
        let Some(sets) = &r.variable_sets else {
            let vars = |n: &str| r.variables.get(n).copied();
            let (result, unit, exact) = evaluate_one(&e, r.mode, units, r.precision, &lim, &vars)?;
            return Ok(EvaluateResponse {
                result: Some(result),
                results: None,
                unit,
                exact,
                exact_results: None,
                expression: r.expression.clone(),
            });
        };
        if sets.len() > max_sets {
            return Err(ApiError::field(
                "variableSets",
                format!(
                    "holds {} sets; the limit is {max_sets} (MATH_MAX_VARIABLE_SETS)",
                    sets.len()
                ),
            ));
        }
        let at = |i: usize| {
            move |e: crate::error::MathError| {
                ApiError::from(e).prefixed(&format!("variableSets[{i}]"))
            }
        };
        let mut results = Vec::with_capacity(sets.len());
        let mut exact_results = Vec::new();
        let mut unit = None;
        if r.mode == EvalMode::Float && !units {
            // The hot path: values looked up by slot, nothing allocated per set.
            for i in 0..sets.len() {
                let vars = |n: &str| sets.get(i, n).or_else(|| r.variables.get(n).copied());
                let v = expr::eval_with(&e, &vars, &lim).map_err(at(i))?;
                results.push(finite(significant(v, r.precision)));
            }
        } else {
            for i in 0..sets.len() {
                let vars = |n: &str| sets.get(i, n).or_else(|| r.variables.get(n).copied());
                let (v, u, x) =
                    evaluate_one(&e, r.mode, units, r.precision, &lim, &vars).map_err(at(i))?;
                results.push(v);
                unit = unit.or(u);
                exact_results.extend(x);
            }
        }
        Ok(EvaluateResponse {
            result: None,
            results: Some(results),
            unit,
            exact: None,
            exact_results: (r.mode == EvalMode::Decimal).then_some(exact_results),
            expression: r.expression.clone(),
        })
    })
    .await
}
