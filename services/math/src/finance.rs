//! Time value of money with the conventions of the spreadsheet functions of the same names
//! (Excel, LibreOffice, Google Sheets): cash paid out is negative, received positive; `when` is
//! 0 for payments at the end of each period, 1 at the beginning.

use crate::error::{MathError, Result};

/// FV(rate, nper, pmt, pv, type).
pub fn fv(rate: f64, nper: f64, pmt: f64, pv: f64, when: f64) -> f64 {
    if rate == 0.0 {
        return -(pv + pmt * nper);
    }
    let g = (1.0 + rate).powf(nper);
    -(pv * g + pmt * (1.0 + rate * when) * (g - 1.0) / rate)
}

/// PV(rate, nper, pmt, fv, type).
pub fn pv(rate: f64, nper: f64, pmt: f64, fv: f64, when: f64) -> f64 {
    if rate == 0.0 {
        return -(fv + pmt * nper);
    }
    let g = (1.0 + rate).powf(nper);
    -(fv + pmt * (1.0 + rate * when) * (g - 1.0) / rate) / g
}

/// PMT(rate, nper, pv, fv, type).
pub fn pmt(rate: f64, nper: f64, pv: f64, fv: f64, when: f64) -> Result<f64> {
    if nper == 0.0 {
        return Err(MathError::invalid("nper", "must not be 0"));
    }
    if rate == 0.0 {
        return Ok(-(pv + fv) / nper);
    }
    let g = (1.0 + rate).powf(nper);
    Ok(-(fv + pv * g) * rate / ((1.0 + rate * when) * (g - 1.0)))
}

/// NPER(rate, pmt, pv, fv, type).
pub fn nper(rate: f64, pmt: f64, pv: f64, fv: f64, when: f64) -> Result<f64> {
    if rate == 0.0 {
        if pmt == 0.0 {
            return Err(MathError::no_answer(
                "pmt",
                "with a zero rate and no payment the balance never changes",
            ));
        }
        return Ok(-(pv + fv) / pmt);
    }
    let z = pmt * (1.0 + rate * when) / rate;
    let n = ((-fv + z) / (pv + z)).ln() / (1.0 + rate).ln();
    if n.is_finite() {
        Ok(n)
    } else {
        Err(MathError::no_answer(
            "pmt",
            "no number of periods reaches fv with these payments",
        ))
    }
}

/// RATE(nper, pmt, pv, fv, type, guess) by Newton's method (as spreadsheets do), with a
/// bisection fallback when Newton wanders.
pub fn rate(nper: f64, pmt: f64, pv: f64, fv: f64, when: f64, guess: f64) -> Result<f64> {
    let f = |r: f64| fv_balance(r, nper, pmt, pv, fv, when);
    solve(
        f,
        guess,
        "rate",
        "no interest rate makes these payments balance",
    )
}

fn fv_balance(r: f64, nper: f64, pmt: f64, pv: f64, fv: f64, when: f64) -> f64 {
    // The future value of everything, which must be zero at the solution.
    -self::fv(r, nper, pmt, pv, when) - fv
}

/// A root of `f` near `guess`: Newton with a numerical derivative, then bracketing bisection.
fn solve(f: impl Fn(f64) -> f64, guess: f64, field: &str, none: &str) -> Result<f64> {
    let mut r = guess;
    for _ in 0..100 {
        let y = f(r);
        if y.abs() < 1e-12 {
            return Ok(r);
        }
        let h = 1e-7 * r.abs().max(1e-4);
        let d = (f(r + h) - f(r - h)) / (2.0 * h);
        if d == 0.0 || !d.is_finite() {
            break;
        }
        let next = r - y / d;
        if !next.is_finite() || next <= -1.0 {
            break;
        }
        if (next - r).abs() <= 1e-14 * r.abs().max(1.0) {
            return Ok(next);
        }
        r = next;
    }
    // Bracket a sign change over (-0.9999, 1e6) and bisect.
    let grid: Vec<f64> = std::iter::successors(Some(-0.9999f64), |x| {
        let n = if *x < 1.0 { x + 0.01 } else { x * 1.5 };
        (n < 1e6).then_some(n)
    })
    .collect();
    for w in grid.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (fa, fb) = (f(a), f(b));
        if fa == 0.0 {
            return Ok(a);
        }
        if fa.signum() != fb.signum() && fa.is_finite() && fb.is_finite() {
            let (mut lo, mut hi, mut flo) = (a, b, fa);
            for _ in 0..200 {
                let mid = lo + (hi - lo) / 2.0;
                let fm = f(mid);
                if fm.signum() == flo.signum() {
                    lo = mid;
                    flo = fm;
                } else {
                    hi = mid;
                }
                if hi - lo <= 1e-15 * mid.abs().max(1.0) {
                    break;
                }
            }
            return Ok(lo + (hi - lo) / 2.0);
        }
    }
    Err(MathError::no_answer(field, none))
}

/// NPV(rate, values): values at the end of periods 1, 2, … (the spreadsheet convention; put a
/// time-0 amount outside: `values[0] + NPV(rate, rest)`).
pub fn npv(rate: f64, values: &[f64]) -> f64 {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| v / (1.0 + rate).powi(i as i32 + 1))
        .sum()
}

/// IRR(values, guess): the rate where the present value of values at periods 0, 1, … is zero.
pub fn irr(values: &[f64], guess: f64) -> Result<f64> {
    if !(values.iter().any(|v| *v > 0.0) && values.iter().any(|v| *v < 0.0)) {
        return Err(MathError::no_answer(
            "values",
            "needs at least one negative and one positive cash flow",
        ));
    }
    let f = |r: f64| {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| v / (1.0 + r).powi(i as i32))
            .sum::<f64>()
    };
    solve(
        f,
        guess,
        "values",
        "no rate makes these cash flows' present value zero",
    )
}

/// XNPV(rate, values, dates): days counted from the first date, years of 365 days.
pub fn xnpv(rate: f64, values: &[f64], days: &[i64]) -> f64 {
    let d0 = days[0];
    values
        .iter()
        .zip(days)
        .map(|(v, d)| v / (1.0 + rate).powf((d - d0) as f64 / 365.0))
        .sum()
}

/// XIRR(values, dates, guess).
pub fn xirr(values: &[f64], days: &[i64], guess: f64) -> Result<f64> {
    if !(values.iter().any(|v| *v > 0.0) && values.iter().any(|v| *v < 0.0)) {
        return Err(MathError::no_answer(
            "values",
            "needs at least one negative and one positive cash flow",
        ));
    }
    solve(
        |r| xnpv(r, values, days),
        guess,
        "values",
        "no rate makes these dated cash flows' present value zero",
    )
}

/// One row of an amortization schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Installment {
    /// 1-based period.
    pub period: u32,
    /// Payment (positive).
    pub payment: f64,
    /// Interest part.
    pub interest: f64,
    /// Principal part.
    pub principal: f64,
    /// Balance after the payment.
    pub balance: f64,
}

/// A level-payment schedule for a loan of `principal` over `periods` at `rate` per period.
pub fn amortization(rate: f64, periods: u32, principal: f64) -> Result<Vec<Installment>> {
    if periods == 0 || periods > 10_000 {
        return Err(MathError::invalid("nper", "must be between 1 and 10000"));
    }
    let payment = -pmt(rate, f64::from(periods), principal, 0.0, 0.0)?;
    let mut balance = principal;
    let mut rows = Vec::with_capacity(periods as usize);
    for period in 1..=periods {
        let interest = balance * rate;
        let mut principal_part = payment - interest;
        if period == periods {
            principal_part = balance;
        }
        balance -= principal_part;
        rows.push(Installment {
            period,
            payment: interest + principal_part,
            interest,
            principal: principal_part,
            balance: if balance.abs() < 1e-9 * principal.abs().max(1.0) {
                0.0
            } else {
                balance
            },
        });
    }
    Ok(rows)
}

/// Compound annual growth rate.
pub fn cagr(start: f64, end: f64, years: f64) -> Result<f64> {
    if start <= 0.0 || end < 0.0 || years <= 0.0 {
        return Err(MathError::invalid(
            "start",
            "start and years must be positive and end not negative",
        ));
    }
    Ok((end / start).powf(1.0 / years) - 1.0)
}

flowforge_kit::wire_enum! {
    /// A finance function (spreadsheet conventions).
    pub enum FinanceFunction {
        /// NPV(rate, values): values at the ends of periods 1, 2, ….
        Npv = "npv",
        /// IRR(values[, guess]): values at periods 0, 1, ….
        Irr = "irr",
        /// XNPV(rate, values, dates).
        Xnpv = "xnpv",
        /// XIRR(values, dates[, guess]).
        Xirr = "xirr",
        /// PMT(rate, nper, pv[, fv, when]).
        Pmt = "pmt",
        /// PV(rate, nper, pmt[, fv, when]).
        Pv = "pv",
        /// FV(rate, nper, pmt[, pv, when]).
        Fv = "fv",
        /// NPER(rate, pmt, pv[, fv, when]).
        Nper = "nper",
        /// RATE(nper, pmt, pv[, fv, when, guess]).
        Rate = "rate",
        /// A level-payment amortization schedule (rate, nper, pv).
        Amortization = "amortization",
        /// CAGR(start, end, years).
        Cagr = "cagr",
    }
}

/// The arguments a finance function takes, by name; each function uses some (`rate`, `nper`,
/// `pv` for pmt) and says which one is missing.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Interest rate per period.
    pub rate: Option<f64>,
    /// Number of periods.
    pub nper: Option<f64>,
    /// Payment per period.
    pub pmt: Option<f64>,
    /// Present value.
    pub pv: Option<f64>,
    /// Future value (default 0).
    pub fv: Option<f64>,
    /// `end` (default) or `begin`: when payments fall in a period.
    pub when: Option<String>,
    /// Cash flows.
    pub values: Option<Vec<f64>>,
    /// One YYYY-MM-DD date per cash flow (xnpv, xirr).
    pub dates: Option<Vec<String>>,
    /// Starting guess for irr, xirr and rate (default 0.1).
    pub guess: Option<f64>,
    /// Start value (cagr).
    pub start: Option<f64>,
    /// End value (cagr).
    pub end: Option<f64>,
    /// Years (cagr).
    pub years: Option<f64>,
}

/// A finance function's answer: a value, or an amortization schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The value (not finite when the inputs have none, e.g. pmt of a zero-period loan).
    Value(f64),
    /// One row per period.
    Schedule(Vec<Installment>),
}

/// Compute `function` from the arguments it needs, as spreadsheets (and numpy-financial)
/// define it; a missing or malformed argument is named.
pub fn compute(function: FinanceFunction, a: &Args) -> Result<Answer> {
    let need = |v: Option<f64>, name: &str| {
        v.ok_or_else(|| MathError::invalid(name, format!("is required for {}", function)))
    };
    let when = match a.when.as_deref() {
        None | Some("end") | Some("0") => 0.0,
        Some("begin") | Some("start") | Some("1") => 1.0,
        Some(other) => {
            return Err(MathError::invalid(
                "when",
                format!("unknown value {other:?}; expected end or begin"),
            ));
        }
    };
    let fv0 = a.fv.unwrap_or(0.0);
    let guess = a.guess.unwrap_or(0.1);
    let values = || {
        a.values
            .as_deref()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                MathError::invalid(
                    "values",
                    format!("is required for {}: the cash flows", function),
                )
            })
    };
    let days = |n: usize| -> Result<Vec<i64>> {
        let d = a
            .dates
            .as_ref()
            .ok_or_else(|| MathError::invalid("dates", "is required: one YYYY-MM-DD per value"))?;
        if d.len() != n {
            return Err(MathError::invalid(
                "dates",
                format!("has {} dates for {n} values", d.len()),
            ));
        }
        d.iter()
            .enumerate()
            .map(|(i, s)| {
                flowforge_kit::time::parse_ymd(s).ok_or_else(|| {
                    MathError::invalid(
                        format!("dates[{i}]"),
                        format!("{s:?} is not a YYYY-MM-DD date"),
                    )
                })
            })
            .collect()
    };
    let result = match function {
        FinanceFunction::Npv => npv(need(a.rate, "rate")?, values()?),
        FinanceFunction::Irr => irr(values()?, guess)?,
        FinanceFunction::Xnpv => {
            let v = values()?;
            xnpv(need(a.rate, "rate")?, v, &days(v.len())?)
        }
        FinanceFunction::Xirr => {
            let v = values()?;
            xirr(v, &days(v.len())?, guess)?
        }
        FinanceFunction::Pmt => pmt(
            need(a.rate, "rate")?,
            need(a.nper, "nper")?,
            need(a.pv, "pv")?,
            fv0,
            when,
        )?,
        FinanceFunction::Pv => pv(
            need(a.rate, "rate")?,
            need(a.nper, "nper")?,
            need(a.pmt, "pmt")?,
            fv0,
            when,
        ),
        FinanceFunction::Fv => fv(
            need(a.rate, "rate")?,
            need(a.nper, "nper")?,
            need(a.pmt, "pmt")?,
            a.pv.unwrap_or(0.0),
            when,
        ),
        FinanceFunction::Nper => nper(
            need(a.rate, "rate")?,
            need(a.pmt, "pmt")?,
            need(a.pv, "pv")?,
            fv0,
            when,
        )?,
        FinanceFunction::Rate => rate(
            need(a.nper, "nper")?,
            need(a.pmt, "pmt")?,
            need(a.pv, "pv")?,
            fv0,
            when,
            guess,
        )?,
        FinanceFunction::Cagr => cagr(
            need(a.start, "start")?,
            need(a.end, "end")?,
            need(a.years, "years")?,
        )?,
        FinanceFunction::Amortization => {
            let n = need(a.nper, "nper")?;
            if n.fract() != 0.0 || n < 1.0 {
                return Err(MathError::invalid(
                    "nper",
                    "must be a whole number of periods",
                ));
            }
            let rows = amortization(need(a.rate, "rate")?, n as u32, need(a.pv, "pv")?)?;
            return Ok(Answer::Schedule(rows));
        }
    };
    Ok(Answer::Value(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_examples() {
        // Expected values from numpy-financial 1.0 (spreadsheet conventions), and Excel's XNPV/XIRR
        // documentation example.
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(
            pmt(0.08 / 12.0, 10.0, 10_000.0, 0.0, 0.0).unwrap(),
            -1037.0320893591636
        ));
        assert!(close(
            fv(0.06 / 12.0, 10.0, -200.0, -500.0, 1.0),
            2581.4033740601367
        ));
        assert!(close(
            pv(0.08 / 12.0, 240.0, 500.0, 0.0, 0.0),
            -59777.14585118777
        ));
        assert!(close(
            nper(0.01, -100.0, -1000.0, 10_000.0, 1.0).unwrap(),
            59.67386567
        ));
        assert!(close(
            rate(48.0, -200.0, 8000.0, 0.0, 0.0, 0.1).unwrap(),
            0.00770147248823337
        ));
        assert!(close(
            npv(0.1, &[-10_000.0, 3_000.0, 4_200.0, 6_800.0]),
            1188.4434123352216
        ));
        let r = irr(
            &[-70_000.0, 12_000.0, 15_000.0, 18_000.0, 21_000.0, 26_000.0],
            0.1,
        )
        .unwrap();
        assert!(close(r, 0.08663094803653149), "{r}");
        let days: Vec<i64> = [
            "2008-01-01",
            "2008-03-01",
            "2008-10-30",
            "2009-02-15",
            "2009-04-01",
        ]
        .iter()
        .map(|d| flowforge_kit::time::parse_ymd(d).unwrap())
        .collect();
        let v = [-10_000.0, 2_750.0, 4_250.0, 3_250.0, 2_750.0];
        assert!((xnpv(0.09, &v, &days) - 2_086.647_602).abs() < 1e-5);
        assert!((xirr(&v, &days, 0.1).unwrap() - 0.373_362_535).abs() < 1e-8);
        assert!(close(
            cagr(100.0, 200.0, 5.0).unwrap(),
            0.148_698_354_997_035
        ));
        let s = amortization(0.01, 12, 1000.0).unwrap();
        assert_eq!(s.last().unwrap().balance, 0.0);
        assert!(close(s[0].payment, 88.84878867834168));
    }
}
