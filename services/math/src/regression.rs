//! Least-squares regression through Householder QR (no normal equations, so polynomial fits keep
//! their precision): linear (simple and multiple), polynomial, and the log-transformed
//! exponential, logarithmic and power models spreadsheets fit for trendlines.

use crate::error::{MathError, Result};

flowforge_kit::wire_enum! {
    /// The model.
    pub enum Model {
        /// y = b0 + b1·x1 + … (x is a number per observation, or a row of numbers).
        Linear = "linear",
        /// y = b0 + b1·x + … + bd·x^d.
        Polynomial = "polynomial" | "poly",
        /// y = a·e^(b·x), fitted as ln y = ln a + b·x (y > 0).
        Exponential = "exponential" | "exp",
        /// y = a + b·ln x (x > 0).
        Logarithmic = "logarithmic" | "log",
        /// y = a·x^b, fitted as ln y = ln a + b·ln x (x, y > 0).
        Power = "power",
    }
}

/// A fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Coefficients of the linear(ised) model: intercept first.
    pub coefficients: Vec<f64>,
    /// Their standard errors.
    pub standard_errors: Vec<f64>,
    /// R² of the linear(ised) fit.
    pub r_squared: f64,
    /// Adjusted R².
    pub adjusted_r_squared: f64,
    /// Residuals (in the linearised space for exponential and power).
    pub residuals: Vec<f64>,
}

/// Solve the least-squares problem X b ≈ y (X is n × p, row-major); also (XᵀX)⁻¹'s diagonal.
fn lstsq(x: &[Vec<f64>], y: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = x.len();
    let p = x[0].len();
    // Column-major copy for Householder.
    let mut a: Vec<Vec<f64>> = (0..p).map(|j| x.iter().map(|r| r[j]).collect()).collect();
    let mut b = y.to_vec();
    let mut rdiag = vec![0.0; p];
    for k in 0..p {
        let norm = a[k][k..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            return Err(MathError::no_answer(
                "x",
                "the predictors are linearly dependent (a column is all zeros or a combination of others)",
            ));
        }
        let alpha = if a[k][k] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = a[k][k..].to_vec();
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|t| t * t).sum();
        if vnorm2 > 0.0 {
            for col in a.iter_mut().skip(k) {
                let dot: f64 = v.iter().zip(&col[k..]).map(|(a, b)| a * b).sum();
                let f = 2.0 * dot / vnorm2;
                for (c, vi) in col[k..].iter_mut().zip(&v) {
                    *c -= f * vi;
                }
            }
            let dot: f64 = v.iter().zip(&b[k..]).map(|(a, b)| a * b).sum();
            let f = 2.0 * dot / vnorm2;
            for (c, vi) in b[k..].iter_mut().zip(&v) {
                *c -= f * vi;
            }
        }
        rdiag[k] = a[k][k];
    }
    let scale = rdiag.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if rdiag.iter().any(|d| d.abs() <= scale * 1e-12 * n as f64) {
        return Err(MathError::no_answer(
            "x",
            "the predictors are linearly dependent, so the coefficients are not unique",
        ));
    }
    // Back-substitution R b = Qᵀy.
    let r = |i: usize, j: usize| a[j][i];
    let mut coef = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|j| r(i, j) * coef[j]).sum();
        coef[i] = (b[i] - s) / r(i, i);
    }
    // diag((XᵀX)⁻¹) = row norms² of R⁻¹ (R⁻¹ by back-substitution, column by column).
    let mut rinv = vec![vec![0.0; p]; p];
    #[allow(clippy::needless_range_loop)] // triangular indexing reads clearer with indices
    for i in (0..p).rev() {
        rinv[i][i] = 1.0 / r(i, i);
        for j in i + 1..p {
            let s: f64 = (i + 1..=j).map(|k| r(i, k) * rinv[k][j]).sum();
            rinv[i][j] = -s / r(i, i);
        }
    }
    let diag = (0..p)
        .map(|i| rinv[i].iter().map(|v| v * v).sum())
        .collect();
    Ok((coef, diag))
}

/// Fit `model` to rows `x` (one or more predictors each) and `y`.
pub fn fit(model: Model, x: &[Vec<f64>], y: &[f64], degree: usize) -> Result<Fit> {
    let n = y.len();
    if x.len() != n {
        return Err(MathError::invalid(
            "y",
            format!("has {n} values but x has {}", x.len()),
        ));
    }
    let k = x.first().map_or(0, Vec::len);
    if k == 0 || x.iter().any(|r| r.len() != k) {
        return Err(MathError::invalid(
            "x",
            "every observation needs the same number of predictors (at least one)",
        ));
    }
    if model != Model::Linear && k != 1 {
        return Err(MathError::invalid(
            "x",
            format!("{model} regression takes one predictor per observation"),
        ));
    }
    let positive = |field: &str, v: f64| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(MathError::invalid(
                field,
                format!("{model} regression needs positive values; found {v}"),
            ))
        }
    };
    let (design, target): (Vec<Vec<f64>>, Vec<f64>) = match model {
        Model::Linear => (
            x.iter()
                .map(|r| std::iter::once(1.0).chain(r.iter().copied()).collect())
                .collect(),
            y.to_vec(),
        ),
        Model::Polynomial => {
            if degree == 0 || degree > 20 {
                return Err(MathError::invalid("degree", "must be between 1 and 20"));
            }
            (
                x.iter()
                    .map(|r| (0..=degree).map(|d| r[0].powi(d as i32)).collect())
                    .collect(),
                y.to_vec(),
            )
        }
        Model::Exponential => (
            x.iter().map(|r| vec![1.0, r[0]]).collect(),
            y.iter()
                .map(|&v| positive("y", v).map(f64::ln))
                .collect::<Result<_>>()?,
        ),
        Model::Logarithmic => (
            x.iter()
                .map(|r| positive("x", r[0]).map(|v| vec![1.0, v.ln()]))
                .collect::<Result<_>>()?,
            y.to_vec(),
        ),
        Model::Power => (
            x.iter()
                .map(|r| positive("x", r[0]).map(|v| vec![1.0, v.ln()]))
                .collect::<Result<_>>()?,
            y.iter()
                .map(|&v| positive("y", v).map(f64::ln))
                .collect::<Result<_>>()?,
        ),
    };
    let p = design[0].len();
    if n <= p {
        return Err(MathError::invalid(
            "y",
            format!("needs more than {p} observations to fit {p} coefficients"),
        ));
    }
    let (coef, diag) = lstsq(&design, &target)?;
    let residuals: Vec<f64> = design
        .iter()
        .zip(&target)
        .map(|(row, t)| t - row.iter().zip(&coef).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    let ssr: f64 = residuals.iter().map(|r| r * r).sum();
    let m = crate::stats::mean(&target);
    let sst: f64 = target.iter().map(|t| (t - m) * (t - m)).sum();
    let dof = (n - p) as f64;
    let sigma2 = ssr / dof;
    let r2 = if sst > 0.0 { 1.0 - ssr / sst } else { f64::NAN };
    Ok(Fit {
        standard_errors: diag.iter().map(|d| (sigma2 * d).sqrt()).collect(),
        coefficients: coef,
        r_squared: r2,
        adjusted_r_squared: 1.0 - (1.0 - r2) * (n as f64 - 1.0) / dof,
        residuals,
    })
}

/// The model's prediction at `x` from the fit's coefficients.
pub fn predict(model: Model, coef: &[f64], x: &[f64]) -> f64 {
    match model {
        Model::Linear => coef[0] + coef[1..].iter().zip(x).map(|(a, b)| a * b).sum::<f64>(),
        Model::Polynomial => coef
            .iter()
            .enumerate()
            .map(|(d, c)| c * x[0].powi(d as i32))
            .sum(),
        Model::Exponential => coef[0].exp() * (coef[1] * x[0]).exp(),
        Model::Logarithmic => coef[0] + coef[1] * x[0].ln(),
        Model::Power => coef[0].exp() * x[0].powf(coef[1]),
    }
}
