//! Jinja-style templates (minijinja): loops, conditionals, macros, includes of named partials,
//! Jinja's filters, and `date`, `number` and `currency` filters. HTML escaping is on in `html`
//! mode. Limits: fuel (instructions executed), output size and recursion depth.

use std::collections::BTreeMap;
use std::io::{self, Write};

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use crate::datetime;
use crate::error::DataError;

flowforge_kit::wire_enum! {
    /// What a template renders: escaping follows it.
    #[derive(Default)]
    pub enum Mode {
        /// Plain text: nothing escaped.
        Text = "text",
        /// HTML (the default): every `{{ value }}` escaped unless marked `|safe`.
        #[default]
        Html = "html",
        /// Markdown: nothing escaped (Markdown has no escaping that fits every place).
        Markdown = "markdown" | "md",
    }
}

/// Limits on one render.
#[derive(Debug, Clone, Copy)]
pub struct TemplateLimits {
    /// Instructions the template may execute (`DATA_TEMPLATE_FUEL`).
    pub fuel: u64,
    /// Largest output, bytes (`DATA_TEMPLATE_MAX_OUTPUT`).
    pub max_output: usize,
    /// Deepest nesting of includes, macros and blocks (`DATA_TEMPLATE_MAX_DEPTH`).
    pub max_depth: usize,
}

/// Why a render failed.
#[derive(Debug)]
pub enum TplError {
    /// The template (or a partial) does not parse: 400 on that field.
    Syntax {
        /// `template` or `partials.<name>`.
        field: String,
        /// With the line.
        message: String,
    },
    /// It parsed but failed while rendering: 422.
    Render {
        /// `template` or `partials.<name>`.
        field: String,
        /// With the line.
        message: String,
    },
    /// It executed more than the fuel allows (a loop too long).
    OutOfFuel,
    /// The output grew past the limit.
    TooLarge,
}

impl TplError {
    /// The service's error for this failure, naming the limit that was reached.
    pub fn into_error(self, limits: TemplateLimits) -> DataError {
        match self {
            TplError::Syntax { field, message } => DataError::invalid(field, message),
            TplError::Render { field, message } => DataError::failed(field, message),
            TplError::OutOfFuel => DataError::failed(
                "template",
                format!(
                    "ran more than {} instructions and was stopped (DATA_TEMPLATE_FUEL): a loop too long, or one that never ends",
                    limits.fuel
                ),
            ),
            TplError::TooLarge => DataError::failed(
                "template",
                format!(
                    "rendered more than {} bytes (DATA_TEMPLATE_MAX_OUTPUT)",
                    limits.max_output
                ),
            ),
        }
    }
}

const MAIN: &str = "<template>";

fn field_of(name: Option<&str>) -> String {
    match name {
        None | Some(MAIN) => "template".into(),
        Some(p) => format!("partials.{p}"),
    }
}

fn describe(e: &Error) -> String {
    let what = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    match e.line() {
        Some(l) => format!("line {l}: {what}"),
        None => what,
    }
}

fn wrap(e: Error) -> TplError {
    let field = field_of(e.name());
    match e.kind() {
        ErrorKind::OutOfFuel => TplError::OutOfFuel,
        ErrorKind::SyntaxError => TplError::Syntax {
            field,
            message: describe(&e),
        },
        _ => TplError::Render {
            field,
            message: describe(&e),
        },
    }
}

/// A writer that refuses to grow past `max`.
struct Capped {
    out: Vec<u8>,
    max: usize,
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len() + buf.len() > self.max {
            self.over = true;
            return Err(io::Error::other("output limit"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Thousands and decimal separators of a locale (`en`, `de`, `fr`, `de-CH`, …).
pub fn separators(locale: &str) -> Option<(&'static str, &'static str)> {
    let l = locale.to_ascii_lowercase().replace('_', "-");
    if l == "de-ch" || l == "fr-ch" || l == "it-ch" {
        return Some(("\u{2019}", "."));
    }
    let lang = l.split('-').next().unwrap_or("");
    Some(match lang {
        "en" | "ja" | "zh" | "ko" | "th" | "he" | "ms" | "hi" => (",", "."),
        "de" | "es" | "it" | "nl" | "pt" | "id" | "da" | "tr" | "el" | "ro" | "hr" | "sl" => {
            (".", ",")
        }
        "fr" | "sv" | "nb" | "no" | "fi" | "cs" | "pl" | "ru" | "uk" | "sk" | "hu" | "bg"
        | "lt" | "lv" | "et" => ("\u{202f}", ","),
        _ => return None,
    })
}

/// `n` with `decimals` places and grouped thousands.
pub fn group(n: f64, decimals: usize, thousands: &str, point: &str) -> String {
    let fixed = format!("{:.*}", decimals.min(20), n.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut out = String::with_capacity(fixed.len() + 8);
    let negative = n < 0.0 && fixed.bytes().any(|b| matches!(b, b'1'..=b'9'));
    if negative {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(thousands);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push_str(point);
        out.push_str(frac);
    }
    out
}

/// Symbol and minor-unit digits of an ISO 4217 code.
fn currency_of(code: &str) -> (String, usize) {
    let c = code.to_ascii_uppercase();
    let (sym, dec) = match c.as_str() {
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "JPY" => ("¥", 0),
        "CNY" => ("CN¥", 2),
        "INR" => ("₹", 2),
        "KRW" => ("₩", 0),
        "BRL" => ("R$", 2),
        "CAD" => ("CA$", 2),
        "AUD" => ("A$", 2),
        "NZD" => ("NZ$", 2),
        "MXN" => ("MX$", 2),
        "CHF" => ("CHF", 2),
        "SEK" | "NOK" | "DKK" | "ISK" => ("kr", if c == "ISK" { 0 } else { 2 }),
        "PLN" => ("zł", 2),
        "CZK" => ("Kč", 2),
        "HUF" => ("Ft", 2),
        "RUB" => ("₽", 2),
        "TRY" => ("₺", 2),
        "ILS" => ("₪", 2),
        "ZAR" => ("R", 2),
        "BTC" => ("₿", 8),
        _ => return (c, 2),
    };
    (sym.to_string(), dec)
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

fn locale_seps(locale: &str) -> Result<(&'static str, &'static str), Error> {
    separators(locale).ok_or_else(|| {
        bad(format!(
            "unknown locale {locale:?} (known: en, de, fr, es, it, nl, pt, sv, pl, de-CH, … or give thousands= and decimal=)"
        ))
    })
}

fn number_filter(v: f64, decimals: Option<usize>, kw: Kwargs) -> Result<String, Error> {
    let locale: Option<String> = kw.get("locale")?;
    let (mut t, mut p) = locale_seps(locale.as_deref().unwrap_or("en"))?;
    let ts: Option<String> = kw.get("thousands")?;
    let ps: Option<String> = kw.get("decimal")?;
    let kd: Option<usize> = kw.get("decimals")?;
    kw.assert_all_used()?;
    if let Some(ts) = &ts {
        t = ts.as_str();
    }
    if let Some(ps) = &ps {
        p = ps.as_str();
    }
    Ok(group(v, decimals.or(kd).unwrap_or(2), t, p))
}

fn currency_filter(v: f64, code: Option<String>, kw: Kwargs) -> Result<String, Error> {
    let locale: Option<String> = kw.get("locale")?;
    let kc: Option<String> = kw.get("code")?;
    let kd: Option<usize> = kw.get("decimals")?;
    kw.assert_all_used()?;
    let locale = locale.unwrap_or_else(|| "en".into());
    let (t, p) = locale_seps(&locale)?;
    let (sym, dec) = currency_of(&code.or(kc).unwrap_or_else(|| "USD".into()));
    let amount = group(v.abs(), kd.unwrap_or(dec), t, p);
    let sign = if v < 0.0 && amount.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        "-"
    } else {
        ""
    };
    let prefix = matches!(
        locale.split(['-', '_']).next().unwrap_or(""),
        "en" | "ja" | "zh" | "ko" | "th" | "he" | "ms" | "hi" | "pt"
    ) && !locale.eq_ignore_ascii_case("pt-pt");
    Ok(if prefix {
        format!("{sign}{sym}{amount}")
    } else {
        format!("{sign}{amount}\u{a0}{sym}")
    })
}

fn date_filter(v: Value, format: Option<String>, kw: Kwargs) -> Result<String, Error> {
    let tz: Option<String> = kw.get("tz")?;
    let input: Option<String> = kw.get("input")?;
    kw.assert_all_used()?;
    let zone = tz
        .as_deref()
        .map(|z| datetime::zone(z, "tz"))
        .transpose()
        .map_err(|e| bad(format!("tz {}", flowforge_kit::DomainError::hint(&e))))?;
    let json = serde_json::to_value(&v).map_err(|e| bad(e.to_string()))?;
    let d = datetime::parse(&json, input.as_deref(), zone, "value")
        .map_err(|e| bad(format!("date: {}", flowforge_kit::DomainError::hint(&e))))?;
    let out = datetime::format(&d, Some(format.as_deref().unwrap_or("%Y-%m-%d"))).map_err(|e| {
        bad(format!(
            "date format {}",
            flowforge_kit::DomainError::hint(&e)
        ))
    })?;
    Ok(match out {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// Render `template` with `data` as its context (an object's keys are the variables; anything
/// else is `data`). `partials` are templates that `{% include %}`, `{% import %}` and
/// `{% extends %}` may name.
pub fn render(
    template: &str,
    partials: &BTreeMap<String, String>,
    data: &serde_json::Value,
    mode: Mode,
    strict: bool,
    limits: TemplateLimits,
) -> Result<String, TplError> {
    let mut env = Environment::new();
    env.set_fuel(Some(limits.fuel));
    env.set_recursion_limit(limits.max_depth);
    env.set_keep_trailing_newline(true);
    if strict {
        env.set_undefined_behavior(UndefinedBehavior::Strict);
    }
    env.set_auto_escape_callback(move |_| match mode {
        Mode::Html => AutoEscape::Html,
        Mode::Text | Mode::Markdown => AutoEscape::None,
    });
    env.add_filter("number", number_filter);
    env.add_filter("currency", currency_filter);
    env.add_filter("date", date_filter);
    env.add_filter("datetimeformat", date_filter);
    for (name, src) in partials {
        env.add_template(name, src).map_err(wrap)?;
    }
    env.add_template(MAIN, template).map_err(wrap)?;
    let tmpl = env.get_template(MAIN).map_err(wrap)?;
    let ctx = match data {
        serde_json::Value::Object(_) => Value::from_serialize(data),
        other => minijinja::context! { data => Value::from_serialize(other) },
    };
    let mut w = Capped {
        out: Vec::new(),
        max: limits.max_output,
        over: false,
    };
    match tmpl.render_captured_to(ctx, &mut w) {
        Ok(_) => {}
        Err(_) if w.over => return Err(TplError::TooLarge),
        Err(e) => return Err(wrap(e)),
    }
    String::from_utf8(w.out).map_err(|_| TplError::Render {
        field: "template".into(),
        message: "rendered text that is not UTF-8".into(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const LIM: TemplateLimits = TemplateLimits {
        fuel: 1_000_000,
        max_output: 1 << 20,
        max_depth: 64,
    };

    fn r(t: &str, data: serde_json::Value, mode: Mode) -> Result<String, TplError> {
        render(t, &BTreeMap::new(), &data, mode, false, LIM)
    }

    #[test]
    fn loops_conditionals_and_escaping() {
        let t = "{% for o in orders if o.total > 10 %}{{ loop.index }}. {{ o.name }}{% if not loop.last %}, {% endif %}{% endfor %}";
        let d = json!({"orders":[{"name":"<b>A</b>","total":20},{"name":"B","total":5},{"name":"C","total":30}]});
        assert_eq!(
            r(t, d.clone(), Mode::Html).unwrap(),
            "1. &lt;b&gt;A&lt;&#x2f;b&gt;, 2. C"
        );
        assert_eq!(r(t, d, Mode::Text).unwrap(), "1. <b>A</b>, 2. C");
        assert_eq!(
            r("{{ x|safe }}", json!({"x":"<i>"}), Mode::Html).unwrap(),
            "<i>"
        );
        assert_eq!(
            r("{{ data|length }}", json!([1, 2, 3]), Mode::Text).unwrap(),
            "3"
        );
    }

    #[test]
    fn number_currency_and_date_filters() {
        let d = json!({"n":1234567.891,"neg":-0.001,"when":"2024-03-10T14:30:00Z"});
        let f = |t: &str| r(t, d.clone(), Mode::Text).unwrap();
        assert_eq!(f("{{ n|number }}"), "1,234,567.89");
        assert_eq!(f("{{ n|number(1, locale='de') }}"), "1.234.567,9");
        assert_eq!(f("{{ n|number(0, thousands=' ') }}"), "1 234 568");
        assert_eq!(f("{{ neg|number }}"), "0.00");
        assert_eq!(
            f("{{ n|currency('EUR', locale='de') }}"),
            "1.234.567,89\u{a0}€"
        );
        assert_eq!(f("{{ n|currency }}"), "$1,234,567.89");
        assert_eq!(f("{{ -5|currency('JPY') }}"), "-¥5");
        assert_eq!(
            f("{{ when|date('%d.%m.%Y %H:%M', tz='Europe/Berlin') }}"),
            "10.03.2024 15:30"
        );
        assert_eq!(f("{{ when|date('EEE d MMM yyyy') }}"), "Sun 10 Mar 2024");
        assert_eq!(f("{{ 1710081000|date }}"), "2024-03-10");
        match r("{{ n|number(locale='xx') }}", d.clone(), Mode::Text) {
            Err(TplError::Render { field, message }) => {
                assert_eq!(field, "template");
                assert!(message.contains("unknown locale"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_and_limits() {
        match r("Hello\n{% for x in %}", json!({}), Mode::Text) {
            Err(TplError::Syntax { field, message }) => {
                assert_eq!(field, "template");
                assert!(message.starts_with("line 2"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        match render(
            "{{ missing.x }}",
            &BTreeMap::new(),
            &json!({}),
            Mode::Text,
            true,
            LIM,
        ) {
            Err(TplError::Render { message, .. }) => {
                assert!(message.contains("undefined"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            r(
                "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                json!({}),
                Mode::Text
            ),
            Err(TplError::OutOfFuel)
        ));
        assert!(matches!(
            r("{{ 'x' * 2000000 }}", json!({}), Mode::Text),
            Err(TplError::TooLarge)
        ));
        // A macro that calls itself forever stops at the depth limit.
        assert!(matches!(
            r(
                "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
                json!({}),
                Mode::Text
            ),
            Err(TplError::Render { .. })
        ));
    }

    #[test]
    fn partials() {
        let mut p = BTreeMap::new();
        p.insert("row".to_string(), "<li>{{ item }}</li>".to_string());
        p.insert(
            "base".to_string(),
            "<ul>{% block body %}{% endblock %}</ul>".to_string(),
        );
        let t = "{% extends 'base' %}{% block body %}{% for item in items %}{% include 'row' %}{% endfor %}{% endblock %}";
        let out = render(
            t,
            &p,
            &json!({"list":1,"items":["a","<b>"]}),
            Mode::Html,
            false,
            LIM,
        )
        .unwrap();
        assert_eq!(out, "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
        p.insert("broken".to_string(), "{% if %}".to_string());
        match render("x", &p, &json!({}), Mode::Text, false, LIM) {
            Err(TplError::Syntax { field, .. }) => assert_eq!(field, "partials.broken"),
            other => panic!("{other:?}"),
        }
    }
}
