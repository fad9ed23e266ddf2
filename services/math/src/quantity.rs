//! Evaluation with units: every value is a [`Quantity`] (SI value, dimension, the unit it is
//! shown in). Used only when an expression names a unit or converts (`to`/`in`); plain
//! arithmetic keeps the faster `f64` evaluator in [`crate::expr`].
//!
//! Rules: `+ - %` and comparisons need equal dimensions; `* /` combine them; `^` needs a plain
//! exponent. A sum keeps the left operand's unit (`5 cm + 2 inch` is `10.08 cm`). Temperatures
//! in °C and °F are points on a scale: `20 degC + 5 degC` is 25 °C (the right side counts as a
//! difference), `30 degC - 20 degC` is a difference of 10 °C, and `*`, `/`, `^` use kelvin.

use crate::error::{MathError, Result};
use crate::expr::{self, Expr, ExprLimits};
use crate::units::{self, Dim, NONE};

/// How a quantity is shown: display = (SI − offset) / factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    /// The unit as written (`km/h`).
    pub name: String,
    /// SI value of one of it.
    pub factor: f64,
    /// SI value of its zero (temperatures).
    pub offset: f64,
}

/// A value with a dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// In SI base units.
    pub si: f64,
    /// Its dimension.
    pub dim: Dim,
    /// The unit to show it in (`None`: SI base units).
    pub show: Option<Show>,
    /// A difference of temperatures rather than a point on a scale.
    pub delta: bool,
}

impl Quantity {
    fn num(v: f64) -> Self {
        Quantity {
            si: v,
            dim: NONE,
            show: None,
            delta: false,
        }
    }

    fn plain(&self) -> bool {
        self.dim == NONE
    }

    fn absolute(&self) -> bool {
        self.show.as_ref().is_some_and(|s| s.offset != 0.0)
    }

    /// The value in the unit it is shown in, and that unit (`None` for a plain number).
    pub fn display(&self) -> (f64, Option<String>) {
        if self.plain() {
            return (self.si, None);
        }
        match &self.show {
            Some(s) => ((self.si - s.offset) / s.factor, Some(s.name.clone())),
            None => (self.si, Some(units::si_name(&self.dim))),
        }
    }

    fn unit_text(&self) -> String {
        self.display().1.unwrap_or_else(|| "a plain number".into())
    }
}

fn bad(msg: impl Into<String>) -> MathError {
    MathError::invalid("expression", msg)
}

fn same_dims(op: &str, a: &Quantity, b: &Quantity) -> Result<()> {
    if a.dim != b.dim {
        return Err(bad(format!(
            "`{op}` needs the same kind of quantity on both sides; got {} and {}",
            a.unit_text(),
            b.unit_text()
        )));
    }
    Ok(())
}

fn wrap(name: &str) -> String {
    if name.contains(['*', '/', '^', ' ']) {
        format!("({name})")
    } else {
        name.to_string()
    }
}

/// A unit's kelvin-based view: offsets dropped (for `*`, `/`, `^`).
fn kelvin(q: Quantity) -> Quantity {
    if q.absolute() {
        Quantity { show: None, ..q }
    } else {
        q
    }
}

fn product(a: Quantity, b: Quantity, divide: bool) -> Result<Quantity> {
    // A plain number times a temperature scales what is shown: 2 · (5 °C) is 10 °C.
    if a.plain() && a.show.is_none() && b.absolute() && !divide {
        return Ok(rescale(b, |x| a.si * x));
    }
    if b.plain() && b.show.is_none() && a.absolute() {
        let k = b.si;
        return Ok(rescale(a, |x| if divide { x / k } else { x * k }));
    }
    let (a, b) = (kelvin(a), kelvin(b));
    let sign = if divide { -1 } else { 1 };
    let dim = units::combine(&a.dim, &b.dim, sign)
        .ok_or_else(|| bad("a unit's exponent grew too large"))?;
    let si = if divide { a.si / b.si } else { a.si * b.si };
    let show = if dim == NONE {
        None
    } else {
        match (a.show, b.show) {
            (Some(x), None) if b.dim == NONE => Some(x),
            (None, Some(y)) if a.dim == NONE && !divide => Some(y),
            (Some(x), Some(y)) => Some(if divide {
                Show {
                    name: format!("{}/{}", x.name, wrap(&y.name)),
                    factor: x.factor / y.factor,
                    offset: 0.0,
                }
            } else if x.name == y.name && !x.name.contains(['*', '/', '^']) {
                Show {
                    name: format!("{}^2", x.name),
                    factor: x.factor * y.factor,
                    offset: 0.0,
                }
            } else {
                Show {
                    name: format!("{}*{}", x.name, y.name),
                    factor: x.factor * y.factor,
                    offset: 0.0,
                }
            }),
            _ => None,
        }
    };
    Ok(Quantity {
        si,
        dim,
        show,
        delta: false,
    })
}

/// Apply `f` to the shown value, keeping the unit.
fn rescale(q: Quantity, mut f: impl FnMut(f64) -> f64) -> Quantity {
    match &q.show {
        Some(s) => {
            let shown = f((q.si - s.offset) / s.factor);
            Quantity {
                si: shown * s.factor + s.offset,
                ..q
            }
        }
        None => Quantity { si: f(q.si), ..q },
    }
}

/// `n name`: the value n in the named unit (for degC and degF, the point n on that scale);
/// a bare unit name is `1 name`.
fn in_unit(n: f64, name: &str) -> Option<Quantity> {
    let u = units::lookup(name)?;
    Some(Quantity {
        si: n * u.factor + u.offset,
        dim: u.dim,
        show: Some(Show {
            name: name.to_string(),
            factor: u.factor,
            offset: u.offset,
        }),
        delta: false,
    })
}

/// Evaluate `e` with units; `vars` gives the variables (which win over unit names).
pub fn eval(e: &Expr, vars: &dyn Fn(&str) -> Option<f64>, lim: &ExprLimits) -> Result<Quantity> {
    let ev = |x: &Expr| eval(x, vars, lim);
    fn offset_unit<'e>(x: &'e Expr, vars: &dyn Fn(&str) -> Option<f64>) -> Option<&'e str> {
        match x {
            Expr::Var(v) if vars(v).is_none() && expr::constant(v).is_none() => units::lookup(v)
                .filter(|u| u.offset != 0.0)
                .map(|_| v.as_str()),
            _ => None,
        }
    }
    Ok(match e {
        Expr::Num(n) => Quantity::num(*n),
        Expr::Var(v) => match vars(v).or_else(|| expr::constant(v)) {
            Some(x) => Quantity::num(x),
            None => in_unit(1.0, v).ok_or_else(|| expr::undefined(v))?,
        },
        Expr::Neg(x) => {
            let q = ev(x)?;
            rescale(q, |v| -v)
        }
        Expr::Not(x) => Quantity::num(f64::from(u8::from(!expr::truth(ev(x)?.si)))),
        Expr::Fact(x) => {
            let q = ev(x)?;
            if !q.plain() {
                return Err(bad(format!(
                    "`!` needs a plain number; got {}",
                    q.unit_text()
                )));
            }
            Quantity::num(expr::factorial(q.si, lim)?)
        }
        Expr::Implicit(a, b) | Expr::Bin('*', a, b) if offset_unit(b, vars).is_some() => {
            let n = ev(a)?;
            match (n.plain() && n.show.is_none(), offset_unit(b, vars)) {
                (true, Some(name)) => in_unit(n.si, name).ok_or_else(|| expr::undefined(name))?,
                _ => product(n, ev(b)?, false)?,
            }
        }
        Expr::Implicit(a, b) => product(ev(a)?, ev(b)?, false)?,
        Expr::Bin(op, a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            match op {
                '+' | '-' => add(*op, a, b)?,
                '*' => product(a, b, false)?,
                '/' => product(a, b, true)?,
                '%' => {
                    if !b.plain() {
                        same_dims("%", &a, &b)?;
                    }
                    let m = b.si;
                    Quantity {
                        si: a.si - m * (a.si / m).floor(),
                        ..kelvin(a)
                    }
                }
                _ => power(a, b)?,
            }
        }
        Expr::Cmp(op, a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            same_dims(op, &a, &b)?;
            Quantity::num(f64::from(u8::from(expr::compare(op, a.si, b.si))))
        }
        Expr::Logic(and, a, b) => {
            let a = expr::truth(ev(a)?.si);
            let r = if *and {
                a && expr::truth(ev(b)?.si)
            } else {
                a || expr::truth(ev(b)?.si)
            };
            Quantity::num(f64::from(u8::from(r)))
        }
        Expr::Cond(c, a, b) => {
            if expr::truth(ev(c)?.si) {
                ev(a)?
            } else {
                ev(b)?
            }
        }
        Expr::Call(name, args) => {
            let qs = args.iter().map(ev).collect::<Result<Vec<Quantity>>>()?;
            call(name, qs, lim)?
        }
        Expr::Convert(x, target, text) => convert(ev(x)?, target, text, lim)?,
    })
}

fn add(op: char, a: Quantity, b: Quantity) -> Result<Quantity> {
    same_dims(&op.to_string(), &a, &b)?;
    let minus = op == '-';
    if a.absolute() && b.absolute() {
        let off = b.show.as_ref().map_or(0.0, |s| s.offset);
        return Ok(if minus {
            // Two points on a scale: their difference, shown on the left's scale without its zero.
            let show = a.show.map(|s| Show { offset: 0.0, ..s });
            Quantity {
                si: a.si - b.si,
                dim: a.dim,
                show,
                delta: true,
            }
        } else {
            Quantity {
                si: a.si + (b.si - off),
                ..a
            }
        });
    }
    let si = if minus { a.si - b.si } else { a.si + b.si };
    let show = a.show.or(b.show);
    Ok(Quantity {
        si,
        dim: a.dim,
        show,
        delta: a.delta,
    })
}

fn power(a: Quantity, b: Quantity) -> Result<Quantity> {
    if !b.plain() {
        return Err(bad(format!(
            "an exponent must be a plain number; got {}",
            b.unit_text()
        )));
    }
    let a = kelvin(a);
    let n = b.si;
    if a.plain() {
        return Ok(Quantity::num(a.si.powf(n)));
    }
    let dim = units::scale(&a.dim, n).ok_or_else(|| {
        bad(format!(
            "{} to the power {n} has no unit with whole exponents",
            a.unit_text()
        ))
    })?;
    let show = a.show.map(|s| Show {
        name: format!("{}^{n}", wrap(&s.name)),
        factor: s.factor.powf(n),
        offset: 0.0,
    });
    Ok(Quantity {
        si: a.si.powf(n),
        dim,
        show,
        delta: false,
    })
}

fn call(name: &str, qs: Vec<Quantity>, lim: &ExprLimits) -> Result<Quantity> {
    if qs.iter().all(Quantity::plain) {
        let v: Vec<f64> = qs.iter().map(|q| q.si).collect();
        return Ok(Quantity::num(expr::call(name, &v, lim)?));
    }
    let angle = units::lookup("rad").map(|u| u.dim);
    let first = qs[0].clone();
    match name {
        // Trigonometry takes angles (in radians underneath).
        "sin" | "cos" | "tan" if qs.len() == 1 && Some(first.dim) == angle => {
            Ok(Quantity::num(expr::call(name, &[first.si], lim)?))
        }
        // Same kind in, same kind out.
        "abs" | "min" | "max" | "sum" | "mean" | "median" | "hypot" => {
            for q in &qs[1..] {
                same_dims(name, &first, q)?;
            }
            let v: Vec<f64> = qs.iter().map(|q| q.si).collect();
            let si = expr::call(name, &v, lim)?;
            Ok(Quantity { si, ..first })
        }
        "sqrt" | "cbrt" => {
            let n = if name == "sqrt" { 0.5 } else { 1.0 / 3.0 };
            let dim = units::scale(&first.dim, n).ok_or_else(|| {
                bad(format!(
                    "{name}() of {} has no unit with whole exponents",
                    first.unit_text()
                ))
            })?;
            Ok(Quantity {
                si: expr::call(name, &[first.si], lim)?,
                dim,
                show: None,
                delta: false,
            })
        }
        // Rounding works on the shown value: round(2.54 cm) is 3 cm.
        "round" | "floor" | "ceil" | "trunc" => {
            let rest: Vec<f64> = qs[1..].iter().map(|q| q.si).collect();
            if qs[1..].iter().any(|q| !q.plain()) {
                return Err(bad(format!("{name}()'s digits must be a plain number")));
            }
            let mut err = None;
            let out = rescale(first, |x| {
                let mut args = vec![x];
                args.extend(&rest);
                expr::call(name, &args, lim).unwrap_or_else(|e| {
                    err = Some(e);
                    f64::NAN
                })
            });
            match err {
                Some(e) => Err(e),
                None => Ok(out),
            }
        }
        _ => Err(bad(format!(
            "{name}() needs plain numbers; got {}",
            qs.iter()
                .map(Quantity::unit_text)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn convert(q: Quantity, target: &Expr, text: &str, lim: &ExprLimits) -> Result<Quantity> {
    // A target is made of units only: a variable of the same name does not count here.
    let no_vars = |_: &str| None;
    let t = match target {
        Expr::Var(v) => in_unit(1.0, v).ok_or_else(|| {
            bad(format!(
                "`{v}` after `to`/`in` is not a unit this service knows"
            ))
        })?,
        _ => eval(target, &no_vars, lim)?,
    };
    if q.dim != t.dim {
        return Err(bad(format!(
            "cannot convert {} to {text}: they measure different things ({} and {})",
            q.unit_text(),
            units::si_name(&q.dim),
            units::si_name(&t.dim)
        )));
    }
    let (factor, offset) = match &t.show {
        Some(s) if matches!(target, Expr::Var(_)) => (s.factor, s.offset),
        _ => (kelvin(t).si, 0.0),
    };
    // A difference of temperatures converts without the scale's zero.
    let offset = if q.delta { 0.0 } else { offset };
    Ok(Quantity {
        si: q.si,
        dim: q.dim,
        show: Some(Show {
            name: text.to_string(),
            factor,
            offset,
        }),
        delta: q.delta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use flowforge_kit::DomainError;

    fn q(s: &str) -> (f64, Option<String>) {
        let lim = ExprLimits::default();
        eval(&parse(s, lim).unwrap(), &|_| None, &lim)
            .unwrap()
            .display()
    }

    fn close(s: &str, want: f64, unit: &str) {
        let (v, u) = q(s);
        assert!(
            ((v - want) / want).abs() < 1e-12,
            "{s}: got {v} {u:?}, want {want} {unit}"
        );
        assert_eq!(u.as_deref(), Some(unit), "{s}");
    }

    #[test]
    fn conversions() {
        close("5 cm + 2 inch in mm", 100.8, "mm");
        close("5 cm + 2 inch", 10.08, "cm");
        close("60 mph to km/h", 96.560_64, "km/h");
        close("100 degC to degF", 212.0, "degF");
        close("-40 degF to degC", -40.0, "degC");
        close("0 degC to K", 273.15, "K");
        close("20 degC + 5 degC", 25.0, "degC");
        close("30 degC - 20 degC to degF", 18.0, "degF");
        close("1 GiB to MB", 1_073.741_824, "MB");
        close("1 MB/s * 1 h in GB", 3.6, "GB");
        close("90 min to h", 1.5, "h");
        close("2 m^2 to cm^2", 20_000.0, "cm^2");
        close("1 kWh to J", 3.6e6, "J");
        close("180 deg to rad", std::f64::consts::PI, "rad");
        close("10 m / 2 s", 5.0, "m/s");
        close("3 m * 2 m", 6.0, "m^2");
        close("sqrt(16 m^2)", 4.0, "m");
        close("round(2.54 cm)", 3.0, "cm");
        assert!((q("sin(90 deg)").0 - 1.0).abs() < 1e-15);
        assert_eq!(q("1 km / 1 m"), (1000.0, None));
    }

    #[test]
    fn mismatched_units_are_named() {
        let lim = ExprLimits::default();
        let e = eval(&parse("5 m + 2 s", lim).unwrap(), &|_| None, &lim).unwrap_err();
        assert!(e.hint().contains("m and s"), "{}", e.hint());
        let e = eval(&parse("5 m to kg", lim).unwrap(), &|_| None, &lim).unwrap_err();
        assert!(e.hint().contains("cannot convert m to kg"), "{}", e.hint());
    }
}
