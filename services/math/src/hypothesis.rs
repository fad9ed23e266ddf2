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

/// A chi-square or F test's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Test {
    /// The statistic.
    pub statistic: f64,
    /// The p-value (upper tail).
    pub p_value: f64,
    /// Degrees of freedom (numerator for F).
    pub df: f64,
    /// Denominator degrees of freedom (F only).
    pub df2: Option<f64>,
}

fn chi2_sf(x: f64, df: f64) -> Result<f64> {
    let d = statrs::distribution::ChiSquared::new(df)
        .map_err(|e| MathError::no_answer("df", e.to_string()))?;
    Ok(d.sf(x))
}

/// Goodness of fit (`scipy.stats.chisquare`): expected defaults to uniform; expected counts are
/// scaled to the observed total when they differ only by rounding.
pub fn chi_square_gof(observed: &[f64], expected: Option<&[f64]>) -> Result<Test> {
    if observed.len() < 2 {
        return Err(MathError::invalid(
            "observed",
            "needs at least 2 categories",
        ));
    }
    let total: f64 = observed.iter().sum();
    let exp: Vec<f64> = match expected {
        None => vec![total / observed.len() as f64; observed.len()],
        Some(e) => {
            if e.len() != observed.len() {
                return Err(MathError::invalid(
                    "expected",
                    format!("has {} counts but observed has {}", e.len(), observed.len()),
                ));
            }
            let et: f64 = e.iter().sum();
            if ((et - total) / total).abs() > 1e-8 {
                return Err(MathError::invalid(
                    "expected",
                    format!("sums to {et} but observed sums to {total}; they must match"),
                ));
            }
            e.to_vec()
        }
    };
    if exp.iter().any(|e| *e <= 0.0) {
        return Err(MathError::invalid(
            "expected",
            "every expected count must be positive",
        ));
    }
    let stat: f64 = observed
        .iter()
        .zip(&exp)
        .map(|(o, e)| (o - e) * (o - e) / e)
        .sum();
    let df = (observed.len() - 1) as f64;
    Ok(Test {
        statistic: stat,
        p_value: chi2_sf(stat, df)?,
        df,
        df2: None,
    })
}

/// Independence in a contingency table (`scipy.stats.chi2_contingency`, with Yates' continuity
/// correction when there is one degree of freedom, as SciPy does by default).
pub fn chi_square_independence(table: &[Vec<f64>], correction: bool) -> Result<Test> {
    let r = table.len();
    let c = table.first().map_or(0, Vec::len);
    if r < 2 || c < 2 || table.iter().any(|row| row.len() != c) {
        return Err(MathError::invalid(
            "table",
            "must be at least 2 × 2 with rows of equal length",
        ));
    }
    let rows: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let cols: Vec<f64> = (0..c)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let n: f64 = rows.iter().sum();
    if rows.iter().chain(&cols).any(|s| *s <= 0.0) {
        return Err(MathError::no_answer(
            "table",
            "a row or column sums to zero, so expected counts are zero",
        ));
    }
    let df = ((r - 1) * (c - 1)) as f64;
    let mut stat = 0.0;
    for i in 0..r {
        for j in 0..c {
            let e = rows[i] * cols[j] / n;
            let mut d = (table[i][j] - e).abs();
            if correction && df == 1.0 {
                d = (d - 0.5).max(0.0);
            }
            stat += d * d / e;
        }
    }
    Ok(Test {
        statistic: stat,
        p_value: chi2_sf(stat, df)?,
        df,
        df2: None,
    })
}

/// One-way ANOVA (`scipy.stats.f_oneway`).
pub fn anova(groups: &[Vec<f64>]) -> Result<Test> {
    if groups.len() < 2 || groups.iter().any(|g| g.is_empty()) {
        return Err(MathError::invalid(
            "groups",
            "needs at least 2 non-empty groups",
        ));
    }
    let all: Vec<f64> = groups.iter().flatten().copied().collect();
    let n = all.len() as f64;
    let k = groups.len() as f64;
    if n <= k {
        return Err(MathError::invalid(
            "groups",
            "needs more observations than groups",
        ));
    }
    let grand = mean(&all);
    let ssb: f64 = groups
        .iter()
        .map(|g| g.len() as f64 * (mean(g) - grand).powi(2))
        .sum();
    let ssw: f64 = groups
        .iter()
        .map(|g| {
            let m = mean(g);
            g.iter().map(|x| (x - m).powi(2)).sum::<f64>()
        })
        .sum();
    if ssw == 0.0 {
        return Err(MathError::no_answer(
            "groups",
            "every group is constant, so F is undefined",
        ));
    }
    let (df1, df2) = (k - 1.0, n - k);
    let f = (ssb / df1) / (ssw / df2);
    let d = statrs::distribution::FisherSnedecor::new(df1, df2)
        .map_err(|e| MathError::no_answer("groups", e.to_string()))?;
    Ok(Test {
        statistic: f,
        p_value: d.sf(f),
        df: df1,
        df2: Some(df2),
    })
}

/// Mann-Whitney U (`scipy.stats.mannwhitneyu`, two-sided, method "auto"): the exact
/// distribution when both samples are smaller than 8 and there are no ties, otherwise the normal
/// approximation with tie and continuity corrections. Returns (U of `a`, p-value, method).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> Result<(f64, f64, &'static str)> {
    if a.is_empty() || b.is_empty() {
        return Err(MathError::invalid(
            if a.is_empty() { "a" } else { "b" },
            "needs at least one value",
        ));
    }
    let (n1, n2) = (a.len(), b.len());
    let all: Vec<f64> = a.iter().chain(b).copied().collect();
    let ranks = crate::stats::ranks(&all);
    let r1: f64 = ranks[..n1].iter().sum();
    let u1 = r1 - (n1 * (n1 + 1)) as f64 / 2.0;
    let u2 = (n1 * n2) as f64 - u1;
    let u = u1.max(u2);
    let mut sorted = all.clone();
    sorted.sort_by(f64::total_cmp);
    let mut tie_term = 0.0;
    let mut ties = false;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        if t > 1.0 {
            ties = true;
        }
        tie_term += t * t * t - t;
        i = j + 1;
    }
    if n1 < 8 && n2 < 8 && !ties {
        // Count arrangements: f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1).
        let (m, n) = (n1.min(n2), n1.max(n2));
        let max_u = m * n;
        let mut table = vec![vec![vec![0.0f64; max_u + 1]; n + 1]; m + 1];
        for (mm, by_n) in table.iter_mut().enumerate() {
            for (nn, counts) in by_n.iter_mut().enumerate() {
                if mm == 0 || nn == 0 {
                    counts[0] = 1.0;
                }
            }
        }
        for mm in 1..=m {
            for nn in 1..=n {
                for uu in 0..=mm * nn {
                    let left = if uu >= nn {
                        table[mm - 1][nn][uu - nn]
                    } else {
                        0.0
                    };
                    let right = table[mm][nn - 1][uu];
                    table[mm][nn][uu] = left + right;
                }
            }
        }
        let counts = &table[m][n];
        let total: f64 = counts.iter().sum();
        let ui = u.round() as usize;
        let sf: f64 = counts[ui..].iter().sum::<f64>() / total;
        return Ok((u1, (2.0 * sf).min(1.0), "exact"));
    }
    let nt = (n1 + n2) as f64;
    let mu = (n1 * n2) as f64 / 2.0;
    let s = ((n1 * n2) as f64 / 12.0 * ((nt + 1.0) - tie_term / (nt * (nt - 1.0)))).sqrt();
    if s == 0.0 {
        return Err(MathError::no_answer(
            "a",
            "all values are tied, so the test is undefined",
        ));
    }
    let z = (u - mu - 0.5) / s;
    let normal = statrs::distribution::Normal::new(0.0, 1.0)
        .map_err(|e| MathError::no_answer("a", e.to_string()))?;
    Ok((u1, (2.0 * normal.sf(z)).min(1.0), "asymptotic"))
}
