//! Evaluating an expression once, or once per variable set (100,000 sets in one call): as
//! doubles with units (`5 cm + 2 inch in mm`), or as exact decimals for money.

use std::collections::HashMap;

use crate::error::{MathError, Result, finite};
use crate::expr::{self, ExprLimits};
use crate::sets::VariableSets;

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

/// Round to `digits` significant digits.
pub fn significant(x: f64, digits: Option<u32>) -> f64 {
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

/// One evaluation's answer: (number, unit, exact text).
type Answer = (Option<f64>, Option<String>, Option<String>);

fn evaluate_one(
    e: &expr::Expr,
    mode: EvalMode,
    units: bool,
    precision: Option<u32>,
    lim: &ExprLimits,
    vars: &dyn Fn(&str) -> Option<f64>,
) -> Result<Answer> {
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

/// What an evaluation answers: one value, or one per variable set, with the unit and, in
/// decimal mode, the exact text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// The value of a single evaluation (`None` inside when not finite).
    pub result: Option<Option<f64>>,
    /// One value per variable set.
    pub results: Option<Vec<Option<f64>>>,
    /// The unit of the value(s), when the expression has units.
    pub unit: Option<String>,
    /// Decimal mode: the exact value as text.
    pub exact: Option<String>,
    /// Decimal mode with variable sets: each exact value as text.
    pub exact_results: Option<Vec<String>>,
}

/// Evaluate `expression` with `variables`, once, or once per set of `sets` (each merged over
/// `variables`; at most `max_sets`, `MATH_MAX_VARIABLE_SETS`). An error in one set names it
/// (`variableSets[3].expression`).
pub fn evaluate(
    expression: &str,
    variables: &HashMap<String, f64>,
    sets: Option<&VariableSets>,
    precision: Option<u32>,
    mode: EvalMode,
    lim: &ExprLimits,
    max_sets: usize,
) -> Result<Evaluation> {
    let e = expr::parse(expression, *lim)?;
    let units = expr::uses_units(&e, &|n| {
        variables.contains_key(n) || sets.is_some_and(|s| s.names(n))
    });
    if units && mode == EvalMode::Decimal {
        return Err(MathError::invalid(
            "mode",
            "decimal mode has no units; use \"float\" for expressions with units",
        ));
    }
    let Some(sets) = sets else {
        let vars = |n: &str| variables.get(n).copied();
        let (result, unit, exact) = evaluate_one(&e, mode, units, precision, lim, &vars)?;
        return Ok(Evaluation {
            result: Some(result),
            unit,
            exact,
            ..Evaluation::default()
        });
    };
    if sets.len() > max_sets {
        return Err(MathError::invalid(
            "variableSets",
            format!(
                "holds {} sets; the limit is {max_sets} (MATH_MAX_VARIABLE_SETS)",
                sets.len()
            ),
        ));
    }
    let at = |i: usize| move |e: MathError| e.at(&format!("variableSets[{i}]"));
    let mut results = Vec::with_capacity(sets.len());
    let mut exact_results = Vec::new();
    let mut unit = None;
    if mode == EvalMode::Float && !units {
        // The hot path: values looked up by slot, nothing allocated per set.
        for i in 0..sets.len() {
            let vars = |n: &str| sets.get(i, n).or_else(|| variables.get(n).copied());
            let v = expr::eval_with(&e, &vars, lim).map_err(at(i))?;
            results.push(finite(significant(v, precision)));
        }
    } else {
        for i in 0..sets.len() {
            let vars = |n: &str| sets.get(i, n).or_else(|| variables.get(n).copied());
            let (v, u, x) = evaluate_one(&e, mode, units, precision, lim, &vars).map_err(at(i))?;
            results.push(v);
            unit = unit.or(u);
            exact_results.extend(x);
        }
    }
    Ok(Evaluation {
        results: Some(results),
        unit,
        exact_results: (mode == EvalMode::Decimal).then_some(exact_results),
        ..Evaluation::default()
    })
}
