//! Hypothesis tests as SciPy reports them: Student's t-tests (`ttest_1samp`,
//! `ttest_ind(equal_var=False)` for Welch, `ttest_rel`; two-sided p-values), chi-square
//! goodness of fit and independence, one-way ANOVA, Mann-Whitney U and Shapiro-Wilk. Sums that
//! overflow a double are a 422 that says to scale the values down, never a panic.

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

fn finite_sums(field: &str, xs: &[f64]) -> Result<()> {
    MathError::check_finite(field, xs)
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
    finite_sums("a", &[se, mean(a)])?;
    if se == 0.0 {
        return Err(MathError::no_answer(
            "a",
            "has no variance, so t is undefined",
        ));
    }
    let t = (mean(a) - mu) / se;
    finite_sums("a", &[t])?;
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
    finite_sums("a", &[va, mean(a)])?;
    finite_sums("b", &[vb, mean(b)])?;
    if va + vb == 0.0 {
        return Err(MathError::no_answer(
            "a",
            "both samples have no variance, so t is undefined",
        ));
    }
    let t = (mean(a) - mean(b)) / (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    finite_sums("a", &[t, df])?;
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
    finite_sums("a", &d)?;
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
    finite_sums("observed", &[x])?;
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
    finite_sums("groups", &[grand, ssb, ssw])?;
    if ssw == 0.0 {
        return Err(MathError::no_answer(
            "groups",
            "every group is constant, so F is undefined",
        ));
    }
    let (df1, df2) = (k - 1.0, n - k);
    let f = (ssb / df1) / (ssw / df2);
    finite_sums("groups", &[f])?;
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

/// Horner's rule on coefficients in ascending order.
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, v| acc * x + v)
}

/// Normal quantile by algorithm AS 111 (Beasley and Springer, 1977): the approximation
/// Royston's AS R94 is defined with, and the one SciPy's `shapiro` uses, so W and p agree with
/// SciPy's to rounding rather than to AS 111's 1e-7.
fn ppnd_as111(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.42 {
        let r = q * q;
        return q * poly(
            &[
                2.50662823884,
                -18.61500062529,
                41.39119773534,
                -25.44106049637,
            ],
            r,
        ) / poly(
            &[
                1.0,
                -8.47351093090,
                23.08336743743,
                -21.06224101826,
                3.13082909833,
            ],
            r,
        );
    }
    let r = if q > 0.0 { 1.0 - p } else { p };
    if r <= 0.0 {
        return 0.0;
    }
    let r = (-r.ln()).sqrt();
    let t = poly(
        &[-2.78718931138, -2.29796479134, 4.85014127135, 2.32121276858],
        r,
    ) / poly(&[1.0, 3.54388924762, 1.63706781897], r);
    if q < 0.0 { -t } else { t }
}

/// Upper normal tail by algorithm AS 66 (Hill, 1973), as AS R94 and SciPy use it.
fn alnorm_upper(x: f64) -> f64 {
    let (mut upper, mut z) = (true, x);
    if z.is_nan() || z <= 0.0 {
        upper = false;
        z = -z;
    }
    if !(z <= 7.0 || (upper && z <= 38.0)) {
        return if upper { 0.0 } else { 1.0 };
    }
    let y = 0.5 * z * z;
    let t = if z <= 1.28 {
        0.5 - z
            * (0.398942280444
                - 0.399903438504 * y
                    / (y + 5.75885480458
                        - 29.8213557808
                            / (y + 2.62433121679 + 48.6959930692 / (y + 5.92885724438))))
    } else {
        0.398942280385 * (-y).exp()
            / (z - 3.8052e-8
                + 1.00000615302
                    / (z + 3.98064794e-4
                        + 1.98615381364
                            / (z - 0.151679116635
                                + 5.29330324926
                                    / (z + 4.8385912808
                                        - 15.1508972451
                                            / (z + 0.742380924027
                                                + 30.789933034 / (z + 3.99019417011))))))
    };
    if upper { t } else { 1.0 - t }
}

/// Shapiro-Wilk W and its p-value (`scipy.stats.shapiro`): Royston's algorithm AS R94 (1995),
/// valid for 3 to 5,000 values (beyond that the p-value is less accurate, as SciPy warns).
pub fn shapiro_wilk(values: &[f64]) -> Result<(f64, f64)> {
    let n = values.len();
    if n < 3 {
        return Err(MathError::invalid(
            "values",
            format!("needs at least 3 values; got {n}"),
        ));
    }
    let mut x = values.to_vec();
    x.sort_by(f64::total_cmp);
    let mid = x[n / 2];
    x.iter_mut().for_each(|v| *v -= mid);
    let range = x[n - 1] - x[0];
    if range < 1e-19 {
        return Err(MathError::no_answer(
            "values",
            "all values are equal (zero range), so W is undefined",
        ));
    }
    // Coefficients a[0..n/2] (Royston's approximation to the Shapiro-Wilk weights).
    let nn2 = n / 2;
    let an = n as f64;
    let mut a = vec![0.0; nn2];
    if n == 3 {
        a[0] = std::f64::consts::FRAC_1_SQRT_2;
    } else {
        let an25 = an + 0.25;
        let m: Vec<f64> = (0..nn2)
            .map(|i| ppnd_as111((i as f64 + 1.0 - 0.375) / an25))
            .collect();
        let summ2 = 2.0 * m.iter().map(|v| v * v).sum::<f64>();
        let ssumm2 = summ2.sqrt();
        let rsn = 1.0 / an.sqrt();
        let c1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
        let c2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
        let a1 = poly(&c1, rsn) - m[0] / ssumm2;
        let (first, fac) = if n > 5 {
            let a2 = -m[1] / ssumm2 + poly(&c2, rsn);
            a[1] = a2;
            let fac = ((summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1])
                / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2))
                .sqrt();
            (2, fac)
        } else {
            (
                1,
                ((summ2 - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1)).sqrt(),
            )
        };
        a[0] = a1;
        for i in first..nn2 {
            a[i] = -m[i] / fac;
        }
    }
    // The weight of the i-th order statistic: -a[i] in the lower half, +a[n-1-i] in the upper.
    let weight = |i: usize| {
        let j = n - 1 - i;
        match i.cmp(&j) {
            std::cmp::Ordering::Less => -a[i],
            std::cmp::Ordering::Greater => a[j],
            std::cmp::Ordering::Equal => 0.0,
        }
    };
    let sa = (0..n).map(weight).sum::<f64>() / an;
    let sx = x.iter().map(|v| v / range).sum::<f64>() / an;
    let (mut ssa, mut ssx, mut sax) = (0.0, 0.0, 0.0);
    for (i, v) in x.iter().enumerate() {
        let asa = weight(i) - sa;
        let xsx = v / range - sx;
        ssa += asa * asa;
        ssx += xsx * xsx;
        sax += asa * xsx;
    }
    // 1 - W computed directly, to keep precision when W is close to 1.
    let ssassx = (ssa * ssx).sqrt();
    let w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
    let w = 1.0 - w1;
    if n == 3 {
        // Exact for three values; W is at least 0.75 in theory.
        if w < 0.75 {
            return Ok((0.75, 0.0));
        }
        let pi6 = 6.0 / std::f64::consts::PI;
        return Ok((w, 1.0 - pi6 * w.sqrt().acos()));
    }
    let mut y = w1.ln();
    let (m, s) = if n <= 11 {
        let gamma = poly(&[-2.273, 0.459], an);
        if y >= gamma {
            return Ok((w, 1e-19));
        }
        y = -(gamma - y).ln();
        (
            poly(&[0.544, -0.39978, 0.025054, -6.714e-4], an),
            poly(&[1.3822, -0.77857, 0.062767, -0.0020322], an).exp(),
        )
    } else {
        let ln = an.ln();
        (
            poly(&[-1.5861, -0.31082, -0.083751, 0.0038915], ln),
            poly(&[-0.4803, -0.082676, 0.0030302], ln).exp(),
        )
    };
    Ok((w, alnorm_upper((y - m) / s)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use flowforge_kit::{DomainError, Kind};

    #[test]
    fn values_whose_sums_overflow_are_a_422_not_a_panic() {
        let big = [1.7e308, -1.7e308, 1.0];
        for r in [
            super::one_sample(&big, 0.0).map(|_| ()),
            super::welch(&big, &[1.0, 2.0, 3.0]).map(|_| ()),
            super::welch(&[1.7e308, 1.7e308, 1.0], &[1.0, 2.0, 3.0]).map(|_| ()),
            super::paired(&big, &[1.0, 2.0, 3.0]).map(|_| ()),
            super::anova(&[vec![1.7e308, 1.7e308], vec![1.0, 2.0]]).map(|_| ()),
            super::anova(&[vec![1.7e308, -1.7e308], vec![1.0, 2.0]]).map(|_| ()),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.kind(), Kind::Unprocessable, "{e}");
            assert!(e.hint().contains("divide every value"), "{e}");
        }
        // Large but summable values still answer, and scaling does not change t.
        let t = super::one_sample(&[1e150, 2e150, 4e150], 0.0).unwrap();
        let t2 = super::one_sample(&[1.0, 2.0, 4.0], 0.0).unwrap();
        assert!((t.statistic - t2.statistic).abs() < 1e-9);
    }
}
