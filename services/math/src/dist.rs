//! Probability distributions with SciPy's meanings: pdf (pmf for discrete ones), cdf, survival
//! function and quantile (ppf), on statrs.

use statrs::distribution::{
    Beta, Binomial, ChiSquared, Continuous, ContinuousCDF, Discrete, DiscreteCDF, Exp,
    FisherSnedecor, Gamma, Geometric, LogNormal, Normal, Poisson, StudentsT, Uniform,
};

use crate::error::{MathError, Result};

flowforge_kit::wire_enum! {
    /// A distribution.
    pub enum Family {
        /// Normal: `mean`, `std` (scipy.stats.norm(loc, scale)).
        Normal = "normal" | "norm" | "gaussian",
        /// Log-normal: `mu`, `sigma` of the underlying normal (scipy lognorm(s=sigma, scale=e^mu)).
        LogNormal = "lognormal" | "lognorm",
        /// Student's t: `df`.
        T = "t" | "studentst",
        /// Chi-square: `df`.
        ChiSquare = "chisquare" | "chi2",
        /// F: `dfn`, `dfd`.
        F = "f",
        /// Exponential: `rate` (scipy expon(scale=1/rate)).
        Exponential = "exponential" | "expon",
        /// Uniform on [`a`, `b`] (scipy uniform(loc=a, scale=b-a)).
        Uniform = "uniform",
        /// Beta: `a`, `b`.
        Beta = "beta",
        /// Gamma: `shape`, `scale` (scipy gamma(a=shape, scale=scale)).
        Gamma = "gamma",
        /// Binomial: `n`, `p`.
        Binomial = "binomial" | "binom",
        /// Poisson: `lambda`.
        Poisson = "poisson",
        /// Geometric: `p`; support 1, 2, … (trials up to the first success, as scipy.stats.geom).
        Geometric = "geometric" | "geom",
    }
}

flowforge_kit::wire_enum! {
    /// What to compute.
    pub enum Function {
        /// Density (continuous) or probability mass (discrete).
        Pdf = "pdf" | "pmf",
        /// P(X ≤ x).
        Cdf = "cdf",
        /// P(X > x).
        Sf = "sf" | "survival",
        /// The x with cdf(x) = q.
        Quantile = "quantile" | "ppf" | "inverse_cdf",
    }
}

enum D {
    C(Box<dyn ContinuousBoth>),
    Disc(Box<dyn DiscreteBoth>),
}

trait ContinuousBoth: ContinuousCDF<f64, f64> + Continuous<f64, f64> {}
impl<T: ContinuousCDF<f64, f64> + Continuous<f64, f64>> ContinuousBoth for T {}
trait DiscreteBoth: DiscreteCDF<u64, f64> + Discrete<u64, f64> {}
impl<T: DiscreteCDF<u64, f64> + Discrete<u64, f64>> DiscreteBoth for T {}

/// The x with cdf(x) = q, by bracketing then bisecting to the last representable step. Used
/// instead of statrs' generic inversion, which can panic and stops early.
fn quantile_continuous(c: &dyn ContinuousBoth, q: f64) -> f64 {
    let (smin, smax) = (c.min(), c.max());
    if q <= 0.0 {
        return smin;
    }
    if q >= 1.0 {
        return smax;
    }
    let (mut lo, mut hi) = (
        if smin.is_finite() { smin } else { -1.0 },
        if smax.is_finite() { smax } else { 1.0 },
    );
    let mut guard = 0;
    while c.cdf(lo) > q && guard < 2000 {
        lo = if lo < 0.0 { lo * 2.0 } else { lo - 1.0 };
        guard += 1;
    }
    while c.cdf(hi) < q && guard < 4000 {
        hi = if hi > 0.0 { hi * 2.0 } else { hi + 1.0 };
        guard += 1;
    }
    for _ in 0..2000 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if c.cdf(mid) < q { lo = mid } else { hi = mid }
    }
    // SciPy reports the point itself; of the two neighbours take the one whose cdf is closer.
    if (c.cdf(lo) - q).abs() <= (c.cdf(hi) - q).abs() {
        lo
    } else {
        hi
    }
}

/// The smallest k with cdf(k) ≥ q (SciPy's ppf for discrete distributions).
fn quantile_discrete(c: &dyn DiscreteBoth, q: f64) -> f64 {
    if q <= 0.0 {
        return -1.0;
    }
    let mut hi: u64 = 1;
    while c.cdf(hi) < q {
        if hi > (1u64 << 52) {
            return f64::INFINITY;
        }
        hi *= 2;
    }
    let mut lo: u64 = 0;
    if c.cdf(0) >= q {
        return 0.0;
    }
    // cdf(lo) < q <= cdf(hi)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if c.cdf(mid) >= q { hi = mid } else { lo = mid }
    }
    hi as f64
}

fn param(
    p: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    family: Family,
) -> Result<f64> {
    p.get(name)
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| {
            MathError::invalid(
                format!("params.{name}"),
                format!("is required for {family} (a number)"),
            )
        })
}

fn build(family: Family, p: &serde_json::Map<String, serde_json::Value>) -> Result<D> {
    let g = |n: &str| param(p, n, family);
    let invalid = |e: String| MathError::invalid("params", format!("not valid for {family}: {e}"));
    Ok(match family {
        Family::Normal => D::C(Box::new(
            Normal::new(g("mean")?, g("std")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::LogNormal => D::C(Box::new(
            LogNormal::new(g("mu")?, g("sigma")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::T => D::C(Box::new(
            StudentsT::new(0.0, 1.0, g("df")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::ChiSquare => D::C(Box::new(
            ChiSquared::new(g("df")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::F => D::C(Box::new(
            FisherSnedecor::new(g("dfn")?, g("dfd")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Exponential => D::C(Box::new(
            Exp::new(g("rate")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Uniform => D::C(Box::new(
            Uniform::new(g("a")?, g("b")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Beta => D::C(Box::new(
            Beta::new(g("a")?, g("b")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Gamma => D::C(Box::new(
            Gamma::new(g("shape")?, 1.0 / g("scale")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Binomial => {
            let n = g("n")?;
            if n < 0.0 || n.fract() != 0.0 {
                return Err(MathError::invalid("params.n", "must be a whole number ≥ 0"));
            }
            D::Disc(Box::new(
                Binomial::new(g("p")?, n as u64).map_err(|e| invalid(e.to_string()))?,
            ))
        }
        Family::Poisson => D::Disc(Box::new(
            Poisson::new(g("lambda")?).map_err(|e| invalid(e.to_string()))?,
        )),
        Family::Geometric => D::Disc(Box::new(
            Geometric::new(g("p")?).map_err(|e| invalid(e.to_string()))?,
        )),
    })
}

/// Compute `function` of `family` with `params` at each x (a probability q for quantiles).
pub fn compute(
    family: Family,
    params: &serde_json::Map<String, serde_json::Value>,
    function: Function,
    xs: &[f64],
) -> Result<Vec<f64>> {
    let d = build(family, params)?;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            if function == Function::Quantile && !(0.0..=1.0).contains(&x) {
                return Err(MathError::invalid(
                    format!("x[{i}]"),
                    "a quantile's argument is a probability between 0 and 1",
                ));
            }
            Ok(match (&d, function) {
                (D::C(c), Function::Pdf) => c.pdf(x),
                (D::C(c), Function::Cdf) => c.cdf(x),
                (D::C(c), Function::Sf) => c.sf(x),
                (D::C(c), Function::Quantile) => match family {
                    // Closed forms (or statrs' accurate special-function inverses).
                    Family::Normal | Family::LogNormal | Family::Exponential | Family::Uniform => {
                        c.inverse_cdf(x)
                    }
                    // Symmetric about 0: exact at the median, mirrored below it.
                    Family::T if x == 0.5 => 0.0,
                    Family::T if x < 0.5 => -quantile_continuous(c.as_ref(), 1.0 - x),
                    _ => quantile_continuous(c.as_ref(), x),
                },
                (D::Disc(c), f) => {
                    // Discrete functions at non-integer x follow SciPy: pmf 0, cdf/sf of floor(x).
                    let k = x.floor();
                    match f {
                        Function::Pdf if x.fract() != 0.0 || x < 0.0 => 0.0,
                        Function::Pdf => c.pmf(k as u64),
                        Function::Cdf if x < 0.0 => 0.0,
                        Function::Cdf => c.cdf(k as u64),
                        Function::Sf if x < 0.0 => 1.0,
                        Function::Sf => c.sf(k as u64),
                        Function::Quantile => quantile_discrete(c.as_ref(), x),
                    }
                }
            })
        })
        .collect()
}

/// `count` random draws, reproducible with `seed` (ChaCha-based `StdRng`; the same seed gives the
/// same numbers on every machine and version of FlowForge with the same statrs, but not NumPy's).
pub fn sample(
    family: Family,
    params: &serde_json::Map<String, serde_json::Value>,
    count: usize,
    seed: Option<u64>,
) -> Result<Vec<f64>> {
    use rand::SeedableRng;
    use rand::distributions::Distribution;
    let mut rng = match seed {
        Some(s) => rand::rngs::StdRng::seed_from_u64(s),
        None => rand::rngs::StdRng::from_entropy(),
    };
    macro_rules! draw {
        ($d:expr) => {{
            let d = $d;
            (0..count)
                .map(|_| Distribution::<f64>::sample(&d, &mut rng))
                .collect()
        }};
    }
    let g = |n: &str| param(params, n, family);
    let invalid = |e: String| MathError::invalid("params", format!("not valid for {family}: {e}"));
    Ok(match family {
        Family::Normal => {
            draw!(Normal::new(g("mean")?, g("std")?).map_err(|e| invalid(e.to_string()))?)
        }
        Family::LogNormal => {
            draw!(LogNormal::new(g("mu")?, g("sigma")?).map_err(|e| invalid(e.to_string()))?)
        }
        Family::T => draw!(StudentsT::new(0.0, 1.0, g("df")?).map_err(|e| invalid(e.to_string()))?),
        Family::ChiSquare => draw!(ChiSquared::new(g("df")?).map_err(|e| invalid(e.to_string()))?),
        Family::F => {
            draw!(FisherSnedecor::new(g("dfn")?, g("dfd")?).map_err(|e| invalid(e.to_string()))?)
        }
        Family::Exponential => draw!(Exp::new(g("rate")?).map_err(|e| invalid(e.to_string()))?),
        Family::Uniform => {
            draw!(Uniform::new(g("a")?, g("b")?).map_err(|e| invalid(e.to_string()))?)
        }
        Family::Beta => draw!(Beta::new(g("a")?, g("b")?).map_err(|e| invalid(e.to_string()))?),
        Family::Gamma => {
            draw!(Gamma::new(g("shape")?, 1.0 / g("scale")?).map_err(|e| invalid(e.to_string()))?)
        }
        Family::Binomial => draw!(
            Binomial::new(g("p")?, g("n")?.max(0.0) as u64).map_err(|e| invalid(e.to_string()))?
        ),
        Family::Poisson => draw!(Poisson::new(g("lambda")?).map_err(|e| invalid(e.to_string()))?),
        Family::Geometric => draw!(Geometric::new(g("p")?).map_err(|e| invalid(e.to_string()))?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flowforge_kit::DomainError;

    #[test]
    fn seeded_samples_repeat_and_follow_the_distribution() {
        let p: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"mean":10,"std":2}"#).unwrap();
        let a = sample(Family::Normal, &p, 20_000, Some(7)).unwrap();
        assert_eq!(a, sample(Family::Normal, &p, 20_000, Some(7)).unwrap());
        let m = crate::stats::mean(&a);
        assert!((m - 10.0).abs() < 0.1, "{m}");
        let e = compute(Family::Normal, &p, Function::Quantile, &[1.5]).unwrap_err();
        assert_eq!(e.field(), "x[0]");
        let bad: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"mean":10}"#).unwrap();
        assert_eq!(
            compute(Family::Normal, &bad, Function::Cdf, &[1.0])
                .unwrap_err()
                .field()
                .to_string(),
            "params.std"
        );
    }
}
