//! Expressions: numbers, variables, `+ - * / % ^` (right-associative power), unary minus,
//! postfix `!`, comparisons, `and`/`or`/`not` (also `&& || !`), `cond ? a : b`, and functions.
//! Parsed once into a tree, then evaluated for each set of variables. Limits on length and
//! nesting; a syntax error names its position.

use std::collections::HashMap;

use crate::error::{MathError, Result};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number.
    Num(f64),
    /// A variable or constant.
    Var(String),
    /// Unary minus.
    Neg(Box<Expr>),
    /// Logical not.
    Not(Box<Expr>),
    /// Factorial.
    Fact(Box<Expr>),
    /// A binary operator.
    Bin(char, Box<Expr>, Box<Expr>),
    /// A comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`).
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    /// `and` / `or`.
    Logic(bool, Box<Expr>, Box<Expr>),
    /// `c ? a : b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A function call.
    Call(String, Vec<Expr>),
    /// A number written next to a unit or variable: `5 cm`, `2 m^2`, `3 x` (a product).
    Implicit(Box<Expr>, Box<Expr>),
    /// `value to unit` (also `in`): the value shown in the unit, whose text is kept.
    Convert(Box<Expr>, Box<Expr>, String),
}

/// Limits on what a client may send.
#[derive(Debug, Clone, Copy)]
pub struct ExprLimits {
    /// Longest expression in characters.
    pub max_len: usize,
    /// Deepest nesting.
    pub max_depth: usize,
    /// Largest n for n!.
    pub max_factorial: f64,
}

impl Default for ExprLimits {
    fn default() -> Self {
        ExprLimits {
            max_len: 10_000,
            max_depth: 64,
            max_factorial: 170.0,
        }
    }
}

/// Words the grammar owns: they cannot name variables or units (`inch`, not `in`).
const KEYWORDS: [&str; 5] = ["to", "in", "and", "or", "not"];

fn ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
    lim: ExprLimits,
}

fn err(pos: usize, what: impl std::fmt::Display) -> MathError {
    MathError::invalid("expression", format!("{what} at position {}", pos + 1))
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.pos..].starts_with(t.as_bytes()) {
            // Words must end at a word boundary ("and" is not the start of "andy").
            let word = t.bytes().all(|b| b.is_ascii_alphabetic());
            let next = self.s.get(self.pos + t.len()).copied().unwrap_or(b' ');
            if word && (next.is_ascii_alphanumeric() || next == b'_') {
                return false;
            }
            self.pos += t.len();
            true
        } else {
            false
        }
    }

    /// Whether a name (not a keyword) comes next.
    fn next_is_name(&mut self) -> bool {
        self.ws();
        let start = self.pos;
        if !self.s.get(start).is_some_and(|&c| ident_start(c)) {
            return false;
        }
        let end = (start..self.s.len())
            .find(|&i| !ident_byte(self.s[i]))
            .unwrap_or(self.s.len());
        let word = std::str::from_utf8(&self.s[start..end]).unwrap_or("");
        !KEYWORDS.contains(&word)
    }

    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.lim.max_depth {
            return Err(err(
                self.pos,
                format!("nesting deeper than {} levels", self.lim.max_depth),
            ));
        }
        Ok(())
    }

    fn ternary(&mut self) -> Result<Expr> {
        self.deeper()?;
        let c = self.or()?;
        let r = if self.eat("?") {
            let a = self.ternary()?;
            if !self.eat(":") {
                return Err(err(self.pos, "expected `:` of a `?` … `:` expression"));
            }
            let b = self.ternary()?;
            Expr::Cond(Box::new(c), Box::new(a), Box::new(b))
        } else {
            c
        };
        self.depth -= 1;
        Ok(r)
    }

    fn or(&mut self) -> Result<Expr> {
        let mut l = self.and()?;
        while self.eat("||") || self.eat("or") {
            l = Expr::Logic(false, Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr> {
        let mut l = self.cmp()?;
        while self.eat("&&") || self.eat("and") {
            l = Expr::Logic(true, Box::new(l), Box::new(self.cmp()?));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Expr> {
        let l = self.add()?;
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            if self.eat(op) {
                return Ok(Expr::Cmp(op, Box::new(l), Box::new(self.add()?)));
            }
        }
        Ok(l)
    }

    fn add(&mut self) -> Result<Expr> {
        let mut l = self.mul()?;
        loop {
            if self.eat("+") {
                l = Expr::Bin('+', Box::new(l), Box::new(self.mul()?));
            } else if self.eat("-") {
                l = Expr::Bin('-', Box::new(l), Box::new(self.mul()?));
            } else {
                return Ok(l);
            }
        }
    }

    fn mul(&mut self) -> Result<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = if self.eat("*") {
                '*'
            } else if self.eat("/") {
                '/'
            } else if self.eat("%") {
                '%'
            } else {
                return Ok(l);
            };
            l = Expr::Bin(op, Box::new(l), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr> {
        self.deeper()?;
        let r = if self.eat("-") {
            Expr::Neg(Box::new(self.unary()?))
        } else if self.eat("+") {
            self.unary()?
        } else if self.eat("not") || (self.peek_not()) {
            Expr::Not(Box::new(self.unary()?))
        } else {
            self.power()?
        };
        self.depth -= 1;
        Ok(r)
    }

    fn peek_not(&mut self) -> bool {
        self.ws();
        if self.s.get(self.pos) == Some(&b'!') && self.s.get(self.pos + 1) != Some(&b'=') {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn power(&mut self) -> Result<Expr> {
        let base = self.postfix()?;
        if self.eat("^") || self.eat("**") {
            // Right-associative, and binds tighter than unary minus on its left: -2^2 = -4.
            let exp = self.unary()?;
            return Ok(Expr::Bin('^', Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr> {
        let mut e = self.atom()?;
        loop {
            self.ws();
            if self.s.get(self.pos) == Some(&b'!') && self.s.get(self.pos + 1) != Some(&b'=') {
                self.pos += 1;
                e = Expr::Fact(Box::new(e));
            } else {
                return Ok(e);
            }
        }
    }

    fn atom(&mut self) -> Result<Expr> {
        self.ws();
        let start = self.pos;
        let Some(&c) = self.s.get(self.pos) else {
            return Err(err(self.pos, "unexpected end of expression"));
        };
        if c == b'(' {
            self.pos += 1;
            let e = self.ternary()?;
            if !self.eat(")") {
                return Err(err(self.pos, "expected `)`"));
            }
            return Ok(e);
        }
        if c.is_ascii_digit() || c == b'.' {
            while self.pos < self.s.len()
                && (self.s[self.pos].is_ascii_digit() || self.s[self.pos] == b'.')
            {
                self.pos += 1;
            }
            if self.pos < self.s.len() && (self.s[self.pos] == b'e' || self.s[self.pos] == b'E') {
                let save = self.pos;
                self.pos += 1;
                if self.pos < self.s.len() && (self.s[self.pos] == b'+' || self.s[self.pos] == b'-')
                {
                    self.pos += 1;
                }
                let digits = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                if self.pos == digits {
                    self.pos = save;
                }
            }
            let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
            let n = text
                .parse()
                .map(Expr::Num)
                .map_err(|_| err(start, format!("`{text}` is not a number")))?;
            // A number followed by a name is a product that binds tightest: `5 cm`, `2 m^2`.
            if self.next_is_name() {
                self.deeper()?;
                let unit = self.power()?;
                self.depth -= 1;
                return Ok(Expr::Implicit(Box::new(n), Box::new(unit)));
            }
            return Ok(n);
        }
        if ident_start(c) {
            while self.pos < self.s.len() && ident_byte(self.s[self.pos]) {
                self.pos += 1;
            }
            let name = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
            if KEYWORDS.contains(&name.as_str()) {
                return Err(err(start, format!("unexpected `{name}`")));
            }
            if self.eat("(") {
                let mut args = Vec::new();
                if !self.eat(")") {
                    loop {
                        args.push(self.ternary()?);
                        if self.eat(")") {
                            break;
                        }
                        if !self.eat(",") {
                            return Err(err(self.pos, "expected `,` or `)` in the argument list"));
                        }
                    }
                }
                return Ok(Expr::Call(name, args));
            }
            return Ok(Expr::Var(name));
        }
        Err(err(start, format!("unexpected `{}`", c as char)))
    }
}

/// Parse an expression.
pub fn parse(text: &str, lim: ExprLimits) -> Result<Expr> {
    if text.trim().is_empty() {
        return Err(MathError::invalid("expression", "is empty"));
    }
    if text.chars().count() > lim.max_len {
        return Err(MathError::invalid(
            "expression",
            format!("is longer than {} characters", lim.max_len),
        ));
    }
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
        lim,
    };
    let mut e = p.ternary()?;
    // `… to unit` / `… in unit`, possibly chained; the unit is an expression of units.
    loop {
        let at = p.pos;
        if !(p.eat("to") || p.eat("in")) {
            break;
        }
        p.ws();
        let from = p.pos;
        if from >= p.s.len() {
            return Err(err(at, "expected a unit after `to`/`in`"));
        }
        let unit = p.mul()?;
        let text = String::from_utf8_lossy(&p.s[from..p.pos])
            .trim()
            .to_string();
        e = Expr::Convert(Box::new(e), Box::new(unit), text);
    }
    p.ws();
    if p.pos < p.s.len() {
        return Err(err(p.pos, format!("unexpected `{}`", p.s[p.pos] as char)));
    }
    Ok(e)
}

fn gcd(a: f64, b: f64) -> f64 {
    let (mut a, mut b) = (a.abs().round(), b.abs().round());
    while b > 0.0 {
        (a, b) = (b, a % b);
    }
    a
}

pub(crate) fn factorial(n: f64, lim: &ExprLimits) -> Result<f64> {
    if n < 0.0 || n.fract() != 0.0 {
        return Err(MathError::no_answer(
            "expression",
            format!("{n}! is defined for whole numbers ≥ 0 only"),
        ));
    }
    if n > lim.max_factorial {
        return Err(MathError::invalid(
            "expression",
            format!("{n}! is too large; the limit is {}!", lim.max_factorial),
        ));
    }
    Ok((1..=n as u64).fold(1.0, |acc, k| acc * k as f64))
}

/// A comparison operator applied (`<`, `<=`, `>`, `>=`, `==`, `!=`); shared by the float, unit
/// and decimal evaluators.
pub(crate) fn compare<T: PartialOrd>(op: &str, a: T, b: T) -> bool {
    match op {
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        ">=" => a >= b,
        "==" => a == b,
        _ => a != b,
    }
}

pub(crate) fn truth(x: f64) -> bool {
    x != 0.0 && !x.is_nan()
}

/// The named constants.
pub fn constant(name: &str) -> Option<f64> {
    Some(match name {
        "pi" | "PI" => std::f64::consts::PI,
        "e" | "E" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "phi" => (1.0 + 5f64.sqrt()) / 2.0,
        "true" => 1.0,
        "false" => 0.0,
        _ => return None,
    })
}

pub(crate) fn undefined(v: &str) -> MathError {
    MathError::invalid(
        "variables",
        format!("`{v}` is not defined; give it in `variables` (or use a known unit)"),
    )
}

/// Whether evaluating `e` needs units: it converts (`to`/`in`) or names a unit that is neither a
/// variable (`defined`) nor a constant.
pub fn uses_units(e: &Expr, defined: &dyn Fn(&str) -> bool) -> bool {
    let u = |x: &Expr| uses_units(x, defined);
    match e {
        Expr::Num(_) => false,
        Expr::Var(v) => !defined(v) && constant(v).is_none() && crate::units::is_unit(v),
        Expr::Neg(x) | Expr::Not(x) | Expr::Fact(x) => u(x),
        Expr::Bin(_, a, b) | Expr::Cmp(_, a, b) | Expr::Logic(_, a, b) | Expr::Implicit(a, b) => {
            u(a) || u(b)
        }
        Expr::Cond(c, a, b) => u(c) || u(a) || u(b),
        Expr::Call(_, args) => args.iter().any(u),
        Expr::Convert(..) => true,
    }
}

/// Evaluate `e` with `vars`.
pub fn eval(e: &Expr, vars: &HashMap<String, f64>, lim: &ExprLimits) -> Result<f64> {
    eval_with(e, &|name: &str| vars.get(name).copied(), lim)
}

/// Evaluate `e`, looking variables up with `vars` (so a caller can layer several maps without
/// copying them).
pub fn eval_with(e: &Expr, vars: &dyn Fn(&str) -> Option<f64>, lim: &ExprLimits) -> Result<f64> {
    let ev = |x: &Expr| eval_with(x, vars, lim);
    Ok(match e {
        Expr::Num(n) => *n,
        Expr::Var(v) => match vars(v).or_else(|| constant(v)) {
            Some(x) => x,
            None => return Err(undefined(v)),
        },
        Expr::Neg(x) => -ev(x)?,
        Expr::Not(x) => f64::from(u8::from(!truth(ev(x)?))),
        Expr::Fact(x) => factorial(ev(x)?, lim)?,
        Expr::Bin(op, a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            match op {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' => a / b,
                '%' => a - b * (a / b).floor(),
                _ => a.powf(b),
            }
        }
        Expr::Cmp(op, a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            f64::from(u8::from(compare(op, a, b)))
        }
        Expr::Logic(and, a, b) => {
            let a = truth(ev(a)?);
            let r = if *and {
                a && truth(ev(b)?)
            } else {
                a || truth(ev(b)?)
            };
            f64::from(u8::from(r))
        }
        Expr::Cond(c, a, b) => {
            if truth(ev(c)?) {
                ev(a)?
            } else {
                ev(b)?
            }
        }
        Expr::Call(name, args) => {
            let v = args.iter().map(ev).collect::<Result<Vec<f64>>>()?;
            call(name, &v, lim)?
        }
        Expr::Implicit(a, b) => ev(a)? * ev(b)?,
        Expr::Convert(..) => {
            return Err(MathError::invalid(
                "expression",
                "`to`/`in` converts quantities with units; this one has none",
            ));
        }
    })
}

pub(crate) fn call(name: &str, v: &[f64], lim: &ExprLimits) -> Result<f64> {
    let arity = |n: usize| -> Result<()> {
        if v.len() != n {
            return Err(MathError::invalid(
                "expression",
                format!("{name}() takes {n} argument(s), got {}", v.len()),
            ));
        }
        Ok(())
    };
    let some = || -> Result<()> {
        if v.is_empty() {
            return Err(MathError::invalid(
                "expression",
                format!("{name}() needs at least one argument"),
            ));
        }
        Ok(())
    };
    let one = |f: fn(f64) -> f64| -> Result<f64> {
        arity(1)?;
        Ok(f(v[0]))
    };
    match name {
        "abs" => one(f64::abs),
        "sqrt" => one(f64::sqrt),
        "cbrt" => one(f64::cbrt),
        "exp" => one(f64::exp),
        "ln" => one(f64::ln),
        "log" => match v.len() {
            1 => Ok(v[0].ln()),
            2 => Ok(v[0].ln() / v[1].ln()),
            _ => Err(MathError::invalid(
                "expression",
                "log() takes (x) or (x, base)",
            )),
        },
        "log2" => one(f64::log2),
        "log10" => one(f64::log10),
        "sin" => one(f64::sin),
        "cos" => one(f64::cos),
        "tan" => one(f64::tan),
        "asin" => one(f64::asin),
        "acos" => one(f64::acos),
        "atan" => one(f64::atan),
        "sinh" => one(f64::sinh),
        "cosh" => one(f64::cosh),
        "tanh" => one(f64::tanh),
        "asinh" => one(f64::asinh),
        "acosh" => one(f64::acosh),
        "atanh" => one(f64::atanh),
        "atan2" => {
            arity(2)?;
            Ok(v[0].atan2(v[1]))
        }
        "floor" => one(f64::floor),
        "ceil" => one(f64::ceil),
        "trunc" => one(f64::trunc),
        "sign" => one(|x| if x == 0.0 { 0.0 } else { x.signum() }),
        "round" => match v.len() {
            1 => Ok(v[0].round()),
            2 => {
                let f = 10f64.powi(v[1] as i32);
                Ok((v[0] * f).round() / f)
            }
            _ => Err(MathError::invalid(
                "expression",
                "round() takes (x) or (x, digits)",
            )),
        },
        "min" => {
            some()?;
            Ok(v.iter().copied().fold(f64::INFINITY, f64::min))
        }
        "max" => {
            some()?;
            Ok(v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        }
        "sum" => Ok(crate::stats::sum(v)),
        "mean" => {
            some()?;
            Ok(crate::stats::mean(v))
        }
        "median" => {
            some()?;
            let mut s = v.to_vec();
            s.sort_by(f64::total_cmp);
            Ok(crate::stats::percentile_sorted(
                &s,
                50.0,
                crate::stats::PercentileMethod::Linear,
            ))
        }
        "factorial" => {
            arity(1)?;
            factorial(v[0], lim)
        }
        "gcd" => {
            some()?;
            Ok(v.iter().copied().fold(0.0, gcd))
        }
        "lcm" => {
            some()?;
            Ok(v.iter().copied().fold(1.0, |a, b| {
                if a == 0.0 || b == 0.0 {
                    0.0
                } else {
                    (a * b).abs() / gcd(a, b)
                }
            }))
        }
        "combinations" | "nCr" => {
            arity(2)?;
            let (n, k) = (v[0], v[1]);
            if k < 0.0 || k > n || n.fract() != 0.0 || k.fract() != 0.0 {
                return Ok(0.0);
            }
            let k = k.min(n - k);
            Ok((0..k as u64)
                .fold(1.0, |acc, i| acc * (n - i as f64) / (i as f64 + 1.0))
                .round())
        }
        "permutations" | "nPr" => {
            arity(2)?;
            let (n, k) = (v[0], v[1]);
            if k < 0.0 || k > n || n.fract() != 0.0 || k.fract() != 0.0 {
                return Ok(0.0);
            }
            Ok((0..k as u64).fold(1.0, |acc, i| acc * (n - i as f64)))
        }
        "mod" => {
            arity(2)?;
            Ok(v[0] - v[1] * (v[0] / v[1]).floor())
        }
        "hypot" => {
            some()?;
            Ok(v.iter().map(|x| x * x).sum::<f64>().sqrt())
        }
        "pow" => {
            arity(2)?;
            Ok(v[0].powf(v[1]))
        }
        _ => Err(MathError::invalid(
            "expression",
            format!("unknown function `{name}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flowforge_kit::DomainError;

    fn ev(s: &str, vars: &[(&str, f64)]) -> f64 {
        let vars: HashMap<String, f64> = vars.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        eval(
            &parse(s, ExprLimits::default()).unwrap(),
            &vars,
            &ExprLimits::default(),
        )
        .unwrap()
    }

    #[test]
    fn precedence_associativity_and_functions() {
        assert_eq!(ev("2 + 3 * 4", &[]), 14.0);
        assert_eq!(ev("x^2 + y", &[("x", 3.0), ("y", 1.0)]), 10.0);
        assert_eq!(ev("2^3^2", &[]), 512.0);
        assert_eq!(ev("-2^2", &[]), -4.0);
        assert_eq!(ev("5!", &[]), 120.0);
        assert_eq!(ev("3 > 2 and 1 < 0 ? 10 : 20", &[]), 20.0);
        assert_eq!(ev("!(1 == 2)", &[]), 1.0);
        assert_eq!(ev("log(8, 2)", &[]), 3.0);
        assert_eq!(ev("round(2.71828, 2)", &[]), 2.72);
        assert_eq!(
            ev("combinations(5, 2) + gcd(12, 18) + lcm(4, 6)", &[]),
            28.0
        );
        assert_eq!(ev("-7 % 3", &[]), 2.0);
        assert_eq!(ev("1.5e3", &[]), 1500.0);
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = parse("2 + * 3", ExprLimits::default()).unwrap_err();
        assert_eq!(e.field(), "expression");
        assert!(e.hint().contains("position 5"), "{}", e.hint());
        let deep = "(".repeat(100) + "1" + &")".repeat(100);
        assert!(
            parse(&deep, ExprLimits::default())
                .unwrap_err()
                .hint()
                .contains("nesting")
        );
        let lim = ExprLimits::default();
        assert!(eval(&parse("171!", lim).unwrap(), &HashMap::new(), &lim).is_err());
    }
}
