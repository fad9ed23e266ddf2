//! Descriptive statistics with NumPy's and SciPy's definitions: sample (ddof = 1) and population
//! variance, percentiles with NumPy's methods, skewness and kurtosis as `scipy.stats` computes
//! them by default (biased, Fisher), mode as `scipy.stats.mode` (the smallest most common value).

use crate::error::{MathError, Result};

flowforge_kit::wire_enum! {
    /// How a percentile between two data points is chosen (NumPy's `method=`).
    #[derive(Default)]
    pub enum PercentileMethod {
        /// NumPy's default: linear interpolation (Hyndman & Fan 7).
        #[default]
        Linear = "linear",
        /// The lower of the two neighbours.
        Lower = "lower",
        /// The higher of the two neighbours.
        Higher = "higher",
        /// The nearest neighbour (ties to the even index, as NumPy).
        Nearest = "nearest",
        /// The mean of the two neighbours.
        Midpoint = "midpoint",
        /// Hyndman & Fan 5.
        Hazen = "hazen",
        /// Hyndman & Fan 6.
        Weibull = "weibull",
        /// Hyndman & Fan 8.
        MedianUnbiased = "median_unbiased",
        /// Hyndman & Fan 9.
        NormalUnbiased = "normal_unbiased",
        /// Hyndman & Fan 4.
        InterpolatedInvertedCdf = "interpolated_inverted_cdf",
    }
}

/// Compensated (Neumaier) sum: as exact as NumPy's pairwise sum or better.
pub fn sum(xs: &[f64]) -> f64 {
    let mut s = 0.0f64;
    let mut c = 0.0f64;
    for &x in xs {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

/// Arithmetic mean.
pub fn mean(xs: &[f64]) -> f64 {
    sum(xs) / xs.len() as f64
}

/// Central moment of order `k` about `m`.
fn moment(xs: &[f64], m: f64, k: i32) -> f64 {
    let d: Vec<f64> = xs.iter().map(|x| (x - m).powi(k)).collect();
    sum(&d) / xs.len() as f64
}

/// Variance with `ddof` delta degrees of freedom (NaN when n <= ddof).
pub fn variance(xs: &[f64], ddof: usize) -> f64 {
    let n = xs.len();
    if n <= ddof {
        return f64::NAN;
    }
    let m = mean(xs);
    let d: Vec<f64> = xs.iter().map(|x| (x - m) * (x - m)).collect();
    sum(&d) / (n - ddof) as f64
}

/// The `q`-th percentile (0–100) of sorted data.
pub fn percentile_sorted(sorted: &[f64], q: f64, method: PercentileMethod) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let p = q / 100.0;
    let last = (n - 1) as f64;
    let continuous = |alpha: f64, beta: f64| {
        let idx = (n as f64 * p + alpha + p * (1.0 - alpha - beta) - 1.0).clamp(0.0, last);
        let lo = idx.floor();
        let g = idx - lo;
        let a = sorted[lo as usize];
        let b = sorted[(lo as usize + 1).min(n - 1)];
        // NumPy's _lerp: stable at both ends.
        if g >= 0.5 {
            b - (b - a) * (1.0 - g)
        } else {
            a + (b - a) * g
        }
    };
    let idx = p * last;
    match method {
        PercentileMethod::Linear => continuous(1.0, 1.0),
        PercentileMethod::Hazen => continuous(0.5, 0.5),
        PercentileMethod::Weibull => continuous(0.0, 0.0),
        PercentileMethod::MedianUnbiased => continuous(1.0 / 3.0, 1.0 / 3.0),
        PercentileMethod::NormalUnbiased => continuous(3.0 / 8.0, 3.0 / 8.0),
        PercentileMethod::InterpolatedInvertedCdf => continuous(0.0, 1.0),
        PercentileMethod::Lower => sorted[idx.floor() as usize],
        PercentileMethod::Higher => sorted[idx.ceil() as usize],
        PercentileMethod::Nearest => sorted[idx.round_ties_even() as usize],
        PercentileMethod::Midpoint => {
            (sorted[idx.floor() as usize] + sorted[idx.ceil() as usize]) / 2.0
        }
    }
}

/// A requested percentile.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Percentile {
    /// Which (0–100).
    pub p: f64,
    /// Its value.
    pub value: f64,
}

/// Everything `describe` answers; `None` (JSON `null`) where undefined (one value's sample
/// variance, a geometric mean of non-positive data, the skewness of constant data).
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"count":4,"sum":10,"mean":2.5,"median":2.5,"mode":1,"modeCount":1,"min":1,"max":4,"range":3,"variance":1.6666666666666667,"std":1.2909944487358056,"populationVariance":1.25,"populationStd":1.118033988749895,"q1":1.75,"q3":3.25,"iqr":1.5,"skewness":0,"kurtosis":-1.36,"geometricMean":2.2133638394006434,"harmonicMean":1.92,"standardError":0.6454972243679028,"percentiles":[]}))]
pub struct Description {
    /// Count.
    pub count: usize,
    /// Sum.
    pub sum: f64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Smallest most common value.
    pub mode: f64,
    /// How often the mode occurs.
    pub mode_count: usize,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// max - min.
    pub range: f64,
    /// Sample variance (ddof 1).
    pub variance: Option<f64>,
    /// Sample standard deviation (ddof 1).
    pub std: Option<f64>,
    /// Population variance (ddof 0).
    pub population_variance: f64,
    /// Population standard deviation.
    pub population_std: f64,
    /// First quartile.
    pub q1: f64,
    /// Third quartile.
    pub q3: f64,
    /// q3 - q1.
    pub iqr: f64,
    /// Skewness (biased, as scipy.stats.skew).
    pub skewness: Option<f64>,
    /// Excess kurtosis (biased, Fisher, as scipy.stats.kurtosis).
    pub kurtosis: Option<f64>,
    /// Geometric mean (positive data only).
    pub geometric_mean: Option<f64>,
    /// Harmonic mean (positive data only).
    pub harmonic_mean: Option<f64>,
    /// std / sqrt(n).
    pub standard_error: Option<f64>,
    /// The requested percentiles, in request order.
    pub percentiles: Vec<Percentile>,
}

/// Describe `xs` (finite numbers, at least one).
pub fn describe(xs: &[f64], percentiles: &[f64], method: PercentileMethod) -> Result<Description> {
    if xs.is_empty() {
        return Err(MathError::invalid(
            "values",
            "must hold at least one number",
        ));
    }
    for (i, p) in percentiles.iter().enumerate() {
        if !(0.0..=100.0).contains(p) {
            return Err(MathError::invalid(
                format!("percentiles[{i}]"),
                "must be between 0 and 100",
            ));
        }
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = xs.len();
    let m = mean(xs);
    let var1 = variance(xs, 1);
    let var0 = variance(xs, 0);
    let pct = |q| percentile_sorted(&sorted, q, method);
    let (q1, q3) = (
        percentile_sorted(&sorted, 25.0, PercentileMethod::Linear),
        percentile_sorted(&sorted, 75.0, PercentileMethod::Linear),
    );
    // Mode: the smallest value among the most frequent.
    let (mut mode, mut mode_count) = (sorted[0], 0usize);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && sorted[j] == sorted[i] {
            j += 1;
        }
        if j - i > mode_count {
            mode = sorted[i];
            mode_count = j - i;
        }
        i = j;
    }
    let m2 = moment(xs, m, 2);
    let (skew, kurt) = if m2 > 0.0 {
        (
            Some(moment(xs, m, 3) / m2.powf(1.5)),
            Some(moment(xs, m, 4) / (m2 * m2) - 3.0),
        )
    } else {
        (None, None)
    };
    let positive = sorted[0] > 0.0;
    let geometric = positive.then(|| {
        let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
        (sum(&logs) / n as f64).exp()
    });
    let harmonic = positive.then(|| {
        let inv: Vec<f64> = xs.iter().map(|x| 1.0 / x).collect();
        n as f64 / sum(&inv)
    });
    let std1 = var1.sqrt();
    Ok(Description {
        count: n,
        sum: sum(xs),
        mean: m,
        median: percentile_sorted(&sorted, 50.0, PercentileMethod::Linear),
        mode,
        mode_count,
        min: sorted[0],
        max: sorted[n - 1],
        range: sorted[n - 1] - sorted[0],
        variance: crate::error::finite(var1),
        std: crate::error::finite(std1),
        population_variance: var0,
        population_std: var0.sqrt(),
        q1,
        q3,
        iqr: q3 - q1,
        skewness: skew,
        kurtosis: kurt,
        geometric_mean: geometric,
        harmonic_mean: harmonic,
        standard_error: crate::error::finite(std1 / (n as f64).sqrt()),
        percentiles: percentiles
            .iter()
            .map(|&q| Percentile {
                p: q,
                value: pct(q),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example() {
        let d = describe(&[1.0, 2.0, 3.0, 4.0], &[], PercentileMethod::Linear).unwrap();
        assert_eq!(
            (d.count, d.mean, d.median, d.min, d.max),
            (4, 2.5, 2.5, 1.0, 4.0)
        );
        assert!((d.variance.unwrap() - 1.666_666_666_666_666_7).abs() < 1e-15);
        assert_eq!(d.population_variance, 1.25);
    }

    #[test]
    fn one_value_has_no_sample_variance_and_none_is_an_error() {
        let d = describe(&[5.0], &[50.0], PercentileMethod::Linear).unwrap();
        assert_eq!(d.variance, None);
        assert_eq!(
            d.percentiles,
            vec![Percentile {
                p: 50.0,
                value: 5.0
            }]
        );
        assert!(describe(&[], &[], PercentileMethod::Linear).is_err());
    }
}

flowforge_kit::wire_enum! {
    /// NumPy's bin-width rules for `np.histogram(bins=<rule>)`.
    pub enum BinRule {
        /// The smaller of Sturges and Freedman-Diaconis widths (NumPy's `auto`).
        Auto = "auto",
        /// Freedman-Diaconis: 2 · IQR · n^(-1/3).
        Fd = "fd",
        /// Sturges: range / (log2 n + 1).
        Sturges = "sturges",
        /// Square root: range / sqrt(n).
        Sqrt = "sqrt",
        /// Rice: range / (2 n^(1/3)).
        Rice = "rice",
        /// Scott: (24 sqrt(pi) / n)^(1/3) · std.
        Scott = "scott",
    }
}

/// Histogram bins: edges (one more than counts) and counts; the last bin includes its right edge.
pub fn histogram(xs: &[f64], bins: &Bins) -> Result<(Vec<f64>, Vec<u64>)> {
    if xs.is_empty() {
        return Err(MathError::invalid(
            "values",
            "must hold at least one number",
        ));
    }
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let (lo, hi) = if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    };
    let edges: Vec<f64> = match bins {
        Bins::Count(n) => {
            if *n == 0 || *n > 100_000 {
                return Err(MathError::invalid("bins", "must be between 1 and 100000"));
            }
            linspace(lo, hi, *n)
        }
        Bins::Edges(e) => {
            if e.len() < 2 || e.windows(2).any(|w| w[1] < w[0]) {
                return Err(MathError::invalid(
                    "bins",
                    "edges must be at least two numbers in increasing order",
                ));
            }
            e.clone()
        }
        Bins::Rule(rule) => {
            let n = xs.len() as f64;
            let range = hi - lo;
            let mut sorted = xs.to_vec();
            sorted.sort_by(f64::total_cmp);
            let sturges = range / (n.log2() + 1.0);
            let fd = {
                let iqr = percentile_sorted(&sorted, 75.0, PercentileMethod::Linear)
                    - percentile_sorted(&sorted, 25.0, PercentileMethod::Linear);
                2.0 * iqr * n.powf(-1.0 / 3.0)
            };
            let width = match rule {
                BinRule::Sturges => sturges,
                BinRule::Sqrt => range / n.sqrt(),
                BinRule::Rice => range / (2.0 * n.powf(1.0 / 3.0)),
                BinRule::Scott => {
                    (24.0 * std::f64::consts::PI.sqrt() / n).powf(1.0 / 3.0)
                        * variance(xs, 0).sqrt()
                }
                BinRule::Fd => fd,
                BinRule::Auto => {
                    if fd > 0.0 {
                        fd.min(sturges)
                    } else {
                        sturges
                    }
                }
            };
            let count = if width > 0.0 {
                ((range / width).ceil() as usize).max(1)
            } else {
                1
            };
            linspace(lo, hi, count.min(100_000))
        }
    };
    let nb = edges.len() - 1;
    let mut counts = vec![0u64; nb];
    let (first, last) = (edges[0], edges[nb]);
    for &x in xs {
        if x < first || x > last {
            continue;
        }
        // The bin whose [left, right) holds x; the last bin also holds its right edge.
        let i = edges
            .partition_point(|e| *e <= x)
            .saturating_sub(1)
            .min(nb - 1);
        counts[i] += 1;
    }
    Ok((edges, counts))
}

fn linspace(lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let step = (hi - lo) / bins as f64;
    (0..=bins)
        .map(|i| if i == bins { hi } else { lo + step * i as f64 })
        .collect()
}

/// Bins: a count, explicit edges, or a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Bins {
    /// Equal-width bins over [min, max].
    Count(usize),
    /// Given edges.
    Edges(Vec<f64>),
    /// A width rule.
    Rule(BinRule),
}

/// Z-scores with population std (scipy.stats.zscore's default, ddof = 0).
pub fn zscores(xs: &[f64], ddof: usize) -> Result<Vec<f64>> {
    if xs.len() <= ddof {
        return Err(MathError::invalid(
            "values",
            format!("needs more than {ddof} values"),
        ));
    }
    let m = mean(xs);
    let s = variance(xs, ddof).sqrt();
    if s == 0.0 {
        return Err(MathError::no_answer(
            "values",
            "all values are equal, so z-scores are undefined",
        ));
    }
    Ok(xs.iter().map(|x| (x - m) / s).collect())
}

/// Ranks with ties averaged (scipy.stats.rankdata's default), 1-based.
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson's r with SciPy's two-sided p-value (t with n − 2 df).
pub fn pearson(x: &[f64], y: &[f64]) -> Result<(f64, f64)> {
    if x.len() != y.len() {
        return Err(MathError::invalid(
            "y",
            format!(
                "has {} values but x has {}; pairs need equal lengths",
                y.len(),
                x.len()
            ),
        ));
    }
    if x.len() < 3 {
        return Err(MathError::invalid("x", "needs at least 3 pairs"));
    }
    let (mx, my) = (mean(x), mean(y));
    let dx: Vec<f64> = x.iter().map(|v| v - mx).collect();
    let dy: Vec<f64> = y.iter().map(|v| v - my).collect();
    let sxy = sum(&dx.iter().zip(&dy).map(|(a, b)| a * b).collect::<Vec<_>>());
    let sxx = sum(&dx.iter().map(|a| a * a).collect::<Vec<_>>());
    let syy = sum(&dy.iter().map(|b| b * b).collect::<Vec<_>>());
    MathError::check_finite("x", &[sxx, sxy])?;
    MathError::check_finite("y", &[syy])?;
    if sxx == 0.0 || syy == 0.0 {
        return Err(MathError::no_answer(
            "x",
            "one of the variables is constant, so the correlation is undefined",
        ));
    }
    let r = (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0);
    let n = x.len() as f64;
    let p = if r.abs() == 1.0 {
        0.0
    } else {
        let t = r * ((n - 2.0) / (1.0 - r * r)).sqrt();
        let dist = statrs::distribution::StudentsT::new(0.0, 1.0, n - 2.0)
            .map_err(|e| MathError::no_answer("x", e.to_string()))?;
        2.0 * statrs::distribution::ContinuousCDF::sf(&dist, t.abs())
    };
    Ok((r, p))
}

/// Spearman's rho: Pearson on ranks, with SciPy's p-value.
pub fn spearman(x: &[f64], y: &[f64]) -> Result<(f64, f64)> {
    if x.len() != y.len() {
        return Err(MathError::invalid(
            "y",
            format!(
                "has {} values but x has {}; pairs need equal lengths",
                y.len(),
                x.len()
            ),
        ));
    }
    pearson(&ranks(x), &ranks(y))
}

/// Simple moving average over `window` values: one value per full window (n − window + 1), as
/// `pandas.Series.rolling(window).mean()` without its leading NaNs.
pub fn sma(xs: &[f64], window: usize) -> Result<Vec<f64>> {
    if window == 0 || window > xs.len() {
        return Err(MathError::invalid(
            "window",
            format!("must be between 1 and the number of values ({})", xs.len()),
        ));
    }
    Ok(xs.windows(window).map(mean).collect())
}

/// Exponential moving average: y₀ = x₀, yₜ = α·xₜ + (1 − α)·yₜ₋₁ (`pandas` `ewm(alpha, adjust=False)`).
pub fn ema(xs: &[f64], alpha: f64) -> Result<Vec<f64>> {
    if !(alpha > 0.0 && alpha <= 1.0) {
        return Err(MathError::invalid(
            "alpha",
            "must be in (0, 1]; or give span s for alpha = 2 / (s + 1)",
        ));
    }
    let mut out = Vec::with_capacity(xs.len());
    let mut y = match xs.first() {
        Some(x) => *x,
        None => {
            return Err(MathError::invalid(
                "values",
                "must hold at least one number",
            ));
        }
    };
    for &x in xs {
        y = alpha * x + (1.0 - alpha) * y;
        out.push(y);
    }
    Ok(out)
}

/// Sample covariance matrix of the columns of `rows` (`numpy.cov(rows, rowvar=False)`, ddof 1).
pub fn covariance(rows: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    let k = rows.first().map_or(0, Vec::len);
    if rows.len() < 2 || k == 0 || rows.iter().any(|r| r.len() != k) {
        return Err(MathError::invalid(
            "data",
            "needs at least 2 rows of equal length (one column per variable)",
        ));
    }
    let n = rows.len() as f64;
    let means: Vec<f64> = (0..k)
        .map(|j| sum(&rows.iter().map(|r| r[j]).collect::<Vec<_>>()) / n)
        .collect();
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in i..k {
            let prods: Vec<f64> = rows
                .iter()
                .map(|r| (r[i] - means[i]) * (r[j] - means[j]))
                .collect();
            let v = sum(&prods) / (n - 1.0);
            c[i][j] = v;
            c[j][i] = v;
        }
    }
    Ok(c)
}

fn tie_sums(xs: &[f64]) -> (f64, f64, f64) {
    // Σ t(t−1), Σ t(t−1)(t−2), Σ t(t−1)(2t+5) over groups of t equal values.
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
    let mut i = 0;
    while i < s.len() {
        let mut j = i;
        while j + 1 < s.len() && s[j + 1] == s[i] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        a += t * (t - 1.0);
        b += t * (t - 1.0) * (t - 2.0);
        c += t * (t - 1.0) * (2.0 * t + 5.0);
        i = j + 1;
    }
    (a, b, c)
}

/// Kendall's tau-b with SciPy's two-sided p-value (`scipy.stats.kendalltau`, method "auto": exact
/// without ties for n ≤ 33, otherwise the normal approximation with tie corrections).
pub fn kendall(x: &[f64], y: &[f64]) -> Result<(f64, f64, &'static str)> {
    if x.len() != y.len() {
        return Err(MathError::invalid(
            "y",
            format!(
                "has {} values but x has {}; pairs need equal lengths",
                y.len(),
                x.len()
            ),
        ));
    }
    let n = x.len();
    if n < 2 {
        return Err(MathError::invalid("x", "needs at least 2 pairs"));
    }
    if n > 20_000 {
        return Err(MathError::invalid(
            "x",
            "Kendall's tau here takes at most 20000 pairs",
        ));
    }
    let (mut s, mut dis) = (0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let p = (x[i] - x[j]).signum() as i64 * (y[i] - y[j]).signum() as i64;
            if x[i] != x[j] && y[i] != y[j] {
                s += p;
                if p < 0 {
                    dis += 1;
                }
            }
        }
    }
    let nf = n as f64;
    let tot = nf * (nf - 1.0) / 2.0;
    let (xt, x0, x1) = tie_sums(x);
    let (yt, y0, y1) = tie_sums(y);
    let denom = ((tot - xt / 2.0) * (tot - yt / 2.0)).sqrt();
    if denom == 0.0 {
        return Err(MathError::no_answer(
            "x",
            "one of the variables is constant, so tau is undefined",
        ));
    }
    let tau = (s as f64 / denom).clamp(-1.0, 1.0);
    let totu = n * (n - 1) / 2;
    let c = (dis as usize).min(totu - dis as usize);
    if xt == 0.0 && yt == 0.0 && (n <= 33 || c <= 1) {
        let fact = |k: usize| (1..=k).fold(1.0f64, |a, b| a * b as f64);
        let p = if c == 0 {
            2.0 / fact(n)
        } else if c == 1 {
            2.0 / fact(n - 1)
        } else if 2 * c == totu {
            1.0
        } else {
            // Permutations of n with at most c inversions (Mahonian numbers), as SciPy counts them.
            let mut new = vec![0.0f64; c + 1];
            new[0] = 1.0;
            new[1] = 1.0;
            for j in 3..=n {
                for k in 1..=c {
                    new[k] += new[k - 1];
                }
                if j <= c {
                    for k in (j..=c).rev() {
                        new[k] -= new[k - j];
                    }
                }
            }
            2.0 * new.iter().sum::<f64>() / fact(n)
        };
        return Ok((tau, p.min(1.0), "exact"));
    }
    let m = nf * (nf - 1.0);
    // SciPy's tie terms count pairs, Σ t(t−1)/2, where `xt` and `yt` hold Σ t(t−1).
    let var = (m * (2.0 * nf + 5.0) - x1 - y1) / 18.0
        + (2.0 * (xt / 2.0) * (yt / 2.0)) / m
        + x0 * y0 / (9.0 * m * (nf - 2.0));
    let z = s as f64 / var.sqrt();
    let normal = statrs::distribution::Normal::new(0.0, 1.0)
        .map_err(|e| MathError::no_answer("x", e.to_string()))?;
    Ok((
        tau,
        (2.0 * statrs::distribution::ContinuousCDF::sf(&normal, z.abs())).min(1.0),
        "asymptotic",
    ))
}
