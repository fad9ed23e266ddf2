//! Exact decimal evaluation for money (`"mode": "decimal"`): numbers are base-10 with up to 28
//! digits after the point (rust_decimal's 96-bit mantissa), so `0.1 + 0.2` is `0.3` and sums of
//! prices do not drift. `+ - * %` are exact; `/` rounds to 28 significant digits; `^` takes whole
//! exponents. Functions that have no exact answer (sqrt, log, trig) are refused with a message
//! saying to use the float mode.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{MathError, Result};
use crate::expr::{self, Expr};

fn bad(msg: impl Into<String>) -> MathError {
    MathError::invalid("expression", msg)
}

fn overflow(what: &str) -> MathError {
    MathError::no_answer(
        "expression",
        format!("{what} overflows exact decimals (about ±7.9e28, 28 places)"),
    )
}

/// A float as the decimal it was written as: JSON `19.99` is exactly 19.99 (the shortest text
/// that reads back as the same float).
pub fn from_f64(x: f64, what: &str) -> Result<Decimal> {
    if !x.is_finite() {
        return Err(bad(format!("{what} is not finite")));
    }
    let text = format!("{x}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&format!("{x:e}")))
        .map_err(|_| overflow(what))
}

fn truth(d: Decimal) -> bool {
    !d.is_zero()
}

fn flag(b: bool) -> Decimal {
    if b { Decimal::ONE } else { Decimal::ZERO }
}

/// Evaluate `e` exactly; variables come from `vars`.
pub fn eval(e: &Expr, vars: &dyn Fn(&str) -> Option<f64>) -> Result<Decimal> {
    let ev = |x: &Expr| eval(x, vars);
    Ok(match e {
        Expr::Num(n) => from_f64(*n, "a number")?,
        Expr::Var(v) => match vars(v) {
            Some(x) => from_f64(x, &format!("variable `{v}`"))?,
            None => match v.as_str() {
                "true" => Decimal::ONE,
                "false" => Decimal::ZERO,
                _ if expr::constant(v).is_some() => {
                    return Err(bad(format!(
                        "`{v}` is irrational and has no exact decimal; use \"mode\": \"float\""
                    )));
                }
                _ => return Err(expr::undefined(v)),
            },
        },
        Expr::Neg(x) => -ev(x)?,
        Expr::Not(x) => flag(!truth(ev(x)?)),
        Expr::Fact(x) => {
            let n = ev(x)?;
            if n.is_sign_negative() || !n.fract().is_zero() || n > Decimal::from(27) {
                return Err(bad(
                    "n! in decimal mode takes a whole n from 0 to 27 (larger ones overflow)",
                ));
            }
            let n = n.to_u32().unwrap_or(0);
            (1..=n).fold(Decimal::ONE, |acc, k| acc * Decimal::from(k))
        }
        Expr::Bin(op, a, b) => arith(*op, ev(a)?, ev(b)?)?,
        Expr::Implicit(a, b) => arith('*', ev(a)?, ev(b)?)?,
        Expr::Cmp(op, a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            flag(expr::compare(op, a, b))
        }
        Expr::Logic(and, a, b) => {
            let a = truth(ev(a)?);
            flag(if *and {
                a && truth(ev(b)?)
            } else {
                a || truth(ev(b)?)
            })
        }
        Expr::Cond(c, a, b) => {
            if truth(ev(c)?) {
                ev(a)?
            } else {
                ev(b)?
            }
        }
        Expr::Call(name, args) => {
            let v = args.iter().map(ev).collect::<Result<Vec<Decimal>>>()?;
            call(name, &v)?
        }
        Expr::Convert(..) => return Err(bad("units are not available in decimal mode")),
    })
}

fn arith(op: char, a: Decimal, b: Decimal) -> Result<Decimal> {
    Ok(match op {
        '+' => a.checked_add(b).ok_or_else(|| overflow("a sum"))?,
        '-' => a.checked_sub(b).ok_or_else(|| overflow("a difference"))?,
        '*' => a.checked_mul(b).ok_or_else(|| overflow("a product"))?,
        '/' => {
            if b.is_zero() {
                return Err(MathError::no_answer("expression", "division by zero"));
            }
            a.checked_div(b).ok_or_else(|| overflow("a quotient"))?
        }
        '%' => {
            if b.is_zero() {
                return Err(MathError::no_answer("expression", "modulo by zero"));
            }
            let q = a
                .checked_div(b)
                .ok_or_else(|| overflow("a modulo"))?
                .floor();
            a - b * q
        }
        _ => pow(a, b)?,
    })
}

fn pow(a: Decimal, b: Decimal) -> Result<Decimal> {
    if !b.fract().is_zero() || b.abs() > Decimal::from(1000) {
        return Err(bad(
            "a power in decimal mode needs a whole exponent between -1000 and 1000",
        ));
    }
    let n = b.abs().to_u32().unwrap_or(0);
    let (mut base, mut k, mut acc) = (a, n, Decimal::ONE);
    while k > 0 {
        if k & 1 == 1 {
            acc = acc.checked_mul(base).ok_or_else(|| overflow("a power"))?;
        }
        k >>= 1;
        if k > 0 {
            base = base.checked_mul(base).ok_or_else(|| overflow("a power"))?;
        }
    }
    if b.is_sign_negative() {
        if acc.is_zero() {
            return Err(MathError::no_answer("expression", "division by zero"));
        }
        acc = Decimal::ONE
            .checked_div(acc)
            .ok_or_else(|| overflow("a power"))?;
    }
    Ok(acc)
}

fn call(name: &str, v: &[Decimal]) -> Result<Decimal> {
    let arity = |n: usize| -> Result<()> {
        if v.len() != n {
            return Err(bad(format!(
                "{name}() takes {n} argument(s), got {}",
                v.len()
            )));
        }
        Ok(())
    };
    let some = || -> Result<()> {
        if v.is_empty() {
            return Err(bad(format!("{name}() needs at least one argument")));
        }
        Ok(())
    };
    let sum = |v: &[Decimal]| -> Result<Decimal> {
        v.iter().try_fold(Decimal::ZERO, |acc, x| {
            acc.checked_add(*x).ok_or_else(|| overflow("a sum"))
        })
    };
    Ok(match name {
        "abs" => {
            arity(1)?;
            v[0].abs()
        }
        "floor" => {
            arity(1)?;
            v[0].floor()
        }
        "ceil" => {
            arity(1)?;
            v[0].ceil()
        }
        "trunc" => {
            arity(1)?;
            v[0].trunc()
        }
        "sign" => {
            arity(1)?;
            if v[0].is_zero() {
                Decimal::ZERO
            } else if v[0].is_sign_negative() {
                Decimal::NEGATIVE_ONE
            } else {
                Decimal::ONE
            }
        }
        // Half away from zero, as spreadsheets' ROUND; `roundHalfEven` for banker's rounding.
        "round" | "roundHalfEven" => {
            let digits = match v.len() {
                1 => 0,
                2 if v[1].fract().is_zero()
                    && v[1] >= Decimal::ZERO
                    && v[1] <= Decimal::from(28) =>
                {
                    v[1].to_u32().unwrap_or(0)
                }
                2 => {
                    return Err(bad(format!(
                        "{name}()'s digits must be a whole number 0 to 28"
                    )));
                }
                _ => return Err(bad(format!("{name}() takes (x) or (x, digits)"))),
            };
            let how = if name == "round" {
                RoundingStrategy::MidpointAwayFromZero
            } else {
                RoundingStrategy::MidpointNearestEven
            };
            v[0].round_dp_with_strategy(digits, how)
        }
        "min" => {
            some()?;
            v.iter().copied().fold(v[0], Decimal::min)
        }
        "max" => {
            some()?;
            v.iter().copied().fold(v[0], Decimal::max)
        }
        "sum" => sum(v)?,
        "mean" => {
            some()?;
            sum(v)?
                .checked_div(Decimal::from(v.len()))
                .ok_or_else(|| overflow("a mean"))?
        }
        "mod" => {
            arity(2)?;
            if v[1].is_zero() {
                return Err(MathError::no_answer("expression", "modulo by zero"));
            }
            arith('%', v[0], v[1])?
        }
        "pow" => {
            arity(2)?;
            pow(v[0], v[1])?
        }
        _ => {
            return Err(bad(format!(
                "{name}() has no exact decimal answer (or is not a function); use \"mode\": \"float\""
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{ExprLimits, parse};
    use flowforge_kit::DomainError;

    fn d(s: &str) -> String {
        eval(&parse(s, ExprLimits::default()).unwrap(), &|n| {
            (n == "price").then_some(19.99)
        })
        .unwrap()
        .normalize()
        .to_string()
    }

    #[test]
    fn exact_money() {
        assert_eq!(d("0.1 + 0.2"), "0.3");
        assert_eq!(d("price * 3"), "59.97");
        assert_eq!(d("round(2.675, 2)"), "2.68");
        assert_eq!(d("roundHalfEven(2.665, 2)"), "2.66");
        assert_eq!(d("10 / 4"), "2.5");
        assert_eq!(d("0.1 * 3"), "0.3");
        assert_eq!(d("1.1 ^ 2"), "1.21");
        assert_eq!(d("-7 % 3"), "2");
        let e = eval(&parse("sqrt(2)", ExprLimits::default()).unwrap(), &|_| None).unwrap_err();
        assert!(e.hint().contains("float"), "{}", e.hint());
    }
}
