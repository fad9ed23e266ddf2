//! Student's t-tests as SciPy reports them: `ttest_1samp`, `ttest_ind(equal_var=False)` (Welch)
//! and `ttest_rel`, two-sided p-values.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{MathError, Result};
use crate::stats::{mean, variance};

/// A test's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTest {
    /// t.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: f64,
}

fn two_sided(t: f64, df: f64) -> Result<f64> {
    let dist = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| MathError::no_answer("df", format!("no t distribution for df {df}: {e}")))?;
    Ok(2.0 * dist.sf(t.abs()))
}

fn need(field: &str, xs: &[f64], n: usize) -> Result<()> {
    if xs.len() < n {
        return Err(MathError::invalid(
            field,
            format!("needs at least {n} values, got {}", xs.len()),
        ));
    }
    Ok(())
}

/// One-sample t-test of `a` against the mean `mu`.
pub fn one_sample(a: &[f64], mu: f64) -> Result<TTest> {
    need("a", a, 2)?;
    let n = a.len() as f64;
    let se = (variance(a, 1) / n).sqrt();
    if se == 0.0 {
        return Err(MathError::no_answer(
            "a",
            "has no variance, so t is undefined",
        ));
    }
    let t = (mean(a) - mu) / se;
    let df = n - 1.0;
    Ok(TTest {
        statistic: t,
        p_value: two_sided(t, df)?,
        df,
    })
}

/// Welch's two-sample t-test (unequal variances).
pub fn welch(a: &[f64], b: &[f64]) -> Result<TTest> {
    need("a", a, 2)?;
    need("b", b, 2)?;
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (va, vb) = (variance(a, 1) / na, variance(b, 1) / nb);
    if va + vb == 0.0 {
        return Err(MathError::no_answer(
            "a",
            "both samples have no variance, so t is undefined",
        ));
    }
    let t = (mean(a) - mean(b)) / (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    Ok(TTest {
        statistic: t,
        p_value: two_sided(t, df)?,
        df,
    })
}

/// Paired t-test: a one-sample test of the differences against 0.
pub fn paired(a: &[f64], b: &[f64]) -> Result<TTest> {
    if a.len() != b.len() {
        return Err(MathError::invalid(
            "b",
            format!(
                "has {} values but a has {}; pairs need equal lengths",
                b.len(),
                a.len()
            ),
        ));
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    one_sample(&d, 0.0)
}
