//! Text operations: regular expressions on the `regex` crate (linear time: no catastrophic
//! backtracking, and a compiled-size limit), case conversions, slugs, trimming, truncation,
//! splitting and HTML stripping.

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value, json};

/// Compile `pattern` with `flags` (`i` case-insensitive, `m` multi-line, `s` dot matches newline,
/// `x` verbose) under a compiled-size limit in bytes.
pub fn compile(
    pattern: &str,
    flags: &str,
    size_limit: usize,
) -> Result<Regex, (&'static str, String)> {
    let mut b = RegexBuilder::new(pattern);
    for f in flags.chars() {
        match f {
            'i' => b.case_insensitive(true),
            'm' => b.multi_line(true),
            's' => b.dot_matches_new_line(true),
            'x' => b.ignore_whitespace(true),
            'g' => &mut b, // global is the `all` option; accepted for familiarity
            other => {
                return Err((
                    "flags",
                    format!(
                        "{other:?} is not a flag; use i, m, s, x (and g, which `all` controls)"
                    ),
                ));
            }
        };
    }
    b.size_limit(size_limit)
        .dfa_size_limit(size_limit)
        .build()
        .map_err(|e| ("pattern", e.to_string()))
}

/// Every match (or the first): text, character-free byte offsets, numbered and named groups.
pub fn extract(re: &Regex, text: &str, all: bool, limit: usize) -> Vec<Value> {
    let names: Vec<Option<&str>> = re.capture_names().collect();
    re.captures_iter(text)
        .take(if all { limit } else { 1 })
        .map(|c| {
            let whole = c.get(0);
            let mut named = Map::new();
            let mut groups = Vec::new();
            for (i, name) in names.iter().enumerate().skip(1) {
                let v = c
                    .get(i)
                    .map_or(Value::Null, |m| Value::String(m.as_str().to_string()));
                if let Some(n) = name {
                    named.insert((*n).to_string(), v.clone());
                }
                groups.push(v);
            }
            json!({
                "match": whole.map_or("", |m| m.as_str()),
                "start": whole.map_or(0, |m| m.start()),
                "end": whole.map_or(0, |m| m.end()),
                "groups": groups,
                "named": named,
            })
        })
        .collect()
}

/// Words of an identifier or phrase: split at non-alphanumerics, lower→upper changes, the end
/// of an acronym (`HTMLParser` → HTML, Parser) and letter↔digit changes.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&p) = cur.chars().last().as_ref() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (p.is_lowercase() && c.is_uppercase())
                || (p.is_uppercase() && c.is_uppercase() && next_lower)
                || (p.is_alphabetic() && c.is_numeric())
                || (p.is_numeric() && c.is_alphabetic());
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalize(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f
            .to_uppercase()
            .chain(cs.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
        'ä' | 'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'ö' | 'œ' => "oe",
        'ù' | 'ú' | 'û' => "u",
        'ü' => "ue",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'ł' => "l",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        '&' => " and ",
        _ => return None,
    })
}

flowforge_kit::wire_enum! {
    /// A case or shape for text.
    pub enum Case {
        /// `hello world`
        Lower = "lower" | "lowercase",
        /// `HELLO WORLD`
        Upper = "upper" | "uppercase",
        /// `Hello World`
        Title = "title",
        /// `Hello world`
        Sentence = "sentence",
        /// `helloWorld`
        Camel = "camel" | "camelCase",
        /// `HelloWorld`
        Pascal = "pascal" | "PascalCase",
        /// `hello_world`
        Snake = "snake" | "snake_case",
        /// `hello-world`
        Kebab = "kebab" | "kebab-case",
        /// `HELLO_WORLD`
        Constant = "constant" | "CONSTANT_CASE",
        /// `hello-world` for URLs: lowercase ASCII, accents folded (`ü` → `ue`), `&` → `and`.
        Slug = "slug" | "slugify",
    }
}

/// Convert `s` to `case`.
pub fn convert_case(s: &str, case: Case) -> String {
    let ws = || words(s);
    match case {
        Case::Lower => s.to_lowercase(),
        Case::Upper => s.to_uppercase(),
        Case::Title => ws()
            .iter()
            .map(|w| capitalize(w))
            .collect::<Vec<_>>()
            .join(" "),
        Case::Sentence => {
            let lower = ws()
                .iter()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            capitalize_first(&lower)
        }
        Case::Camel => {
            let w = ws();
            let mut out = w.first().map(|f| f.to_lowercase()).unwrap_or_default();
            for x in w.iter().skip(1) {
                out.push_str(&capitalize(x));
            }
            out
        }
        Case::Pascal => ws().iter().map(|w| capitalize(w)).collect(),
        Case::Snake => ws()
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
        Case::Kebab => ws()
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("-"),
        Case::Constant => ws()
            .iter()
            .map(|w| w.to_uppercase())
            .collect::<Vec<_>>()
            .join("_"),
        Case::Slug => {
            let mut folded = String::with_capacity(s.len());
            for c in s.chars().flat_map(char::to_lowercase) {
                match fold(c) {
                    Some(f) => folded.push_str(f),
                    None if c.is_ascii_alphanumeric() => folded.push(c),
                    None => folded.push(' '),
                }
            }
            folded.split_whitespace().collect::<Vec<_>>().join("-")
        }
    }
}

fn capitalize_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// At most `max` characters, ending with `ellipsis` when cut (counted within `max`); with
/// `words`, cut at the last space before the limit when there is one.
pub fn truncate(s: &str, max: usize, ellipsis: &str, by_words: bool) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(ellipsis.chars().count());
    let mut cut: String = s.chars().take(room).collect();
    let at_word_end = s.chars().nth(room).is_some_and(char::is_whitespace);
    if by_words
        && !at_word_end
        && let Some(sp) = cut.rfind(char::is_whitespace)
    {
        cut.truncate(sp);
    }
    format!("{}{ellipsis}", cut.trim_end())
}

/// Text of an HTML fragment: tags dropped (with `script` and `style` contents), entities
/// decoded, runs of whitespace collapsed.
pub fn strip_html(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while i < html.len() {
        if html[i..].starts_with('<') {
            for skip in ["<script", "<style"] {
                if lower[i..].starts_with(skip) {
                    let close = format!("</{}", &skip[1..]);
                    i = lower[i..].find(&close).map_or(html.len(), |e| i + e);
                }
            }
            i = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
            out.push(' ');
        } else {
            let next = html[i..].find('<').map_or(html.len(), |e| i + e);
            out.push_str(&html[i..next]);
            i = next;
        }
    }
    let decoded = crate::encode::decode(&out, crate::encode::Encoding::Html).unwrap_or(out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        let s = "parseHTMLString v2 for_you";
        assert_eq!(
            words(s),
            ["parse", "HTML", "String", "v", "2", "for", "you"]
        );
        assert_eq!(
            convert_case("hello world-foo", Case::Camel),
            "helloWorldFoo"
        );
        assert_eq!(convert_case("HelloWorld", Case::Snake), "hello_world");
        assert_eq!(convert_case("hello_world", Case::Pascal), "HelloWorld");
        assert_eq!(convert_case("hello world", Case::Constant), "HELLO_WORLD");
        assert_eq!(convert_case("hello WORLD", Case::Title), "Hello World");
        assert_eq!(convert_case("hello WORLD", Case::Sentence), "Hello world");
        assert_eq!(
            convert_case("  Grüße & Café: 2024!  ", Case::Slug),
            "gruesse-and-cafe-2024"
        );
    }

    #[test]
    fn regex_truncate_strip() {
        let re = compile(r"(?P<user>\w+)@(?P<host>[\w.]+)", "i", 1 << 20).unwrap();
        let m = extract(&re, "a@x.org, b@y.com", true, 10);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1]["named"]["host"], "y.com");
        assert_eq!(m[0]["start"], 0);
        assert_eq!(compile("(", "", 1 << 20).unwrap_err().0, "pattern");
        assert_eq!(compile("a", "q", 1 << 20).unwrap_err().0, "flags");
        assert!(compile(r"\w{1000}{1000}", "", 1 << 20).is_err());
        assert_eq!(
            truncate("hello brave new world", 12, "…", true),
            "hello brave…"
        );
        assert_eq!(truncate("short", 12, "…", true), "short");
        assert_eq!(
            strip_html(
                "<p>Hi&nbsp;<b>there</b></p><script>x()</script><style>p{}</style> &amp; bye"
            ),
            "Hi there & bye"
        );
    }
}
