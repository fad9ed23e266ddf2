//! HTML and Markdown: Markdown to HTML (pulldown-cmark, CommonMark with GitHub's tables, task
//! lists, strikethrough and footnotes), HTML to Markdown (htmd), and extraction with CSS
//! selectors (scraper), as n8n's HTML Extract node does. Every HTML document is parsed by
//! html5ever (the browser algorithm) and its depth checked before anything walks it recursively.

use ego_tree::iter::Edge;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::DataError;

fn err(field: impl Into<String>, message: impl Into<String>) -> DataError {
    DataError::invalid(field, message)
}

fn dangerous(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    u.starts_with("javascript:") || u.starts_with("vbscript:") || u.starts_with("data:")
}

/// Markdown to HTML. Without `allow_html`, raw HTML in the Markdown is written as text and
/// `javascript:`, `vbscript:` and `data:` links lose their target, so the output is safe to show.
pub fn markdown_to_html(md: &str, allow_html: bool) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(md, opts).map(|ev| {
        if allow_html {
            return ev;
        }
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dangerous(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::Borrowed("#"),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if dangerous(&dest_url) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::Borrowed(""),
                title,
                id,
            }),
            other => other,
        }
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Parse HTML and refuse a tree deeper than `max_depth` (walkers below recurse).
fn parse(html: &str, fragment: bool, max_depth: usize) -> Result<Html, DataError> {
    let doc = if fragment {
        Html::parse_fragment(html)
    } else {
        Html::parse_document(html)
    };
    let mut depth = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(_) => {
                depth += 1;
                if depth > max_depth {
                    return Err(err(
                        "html",
                        format!("nests deeper than {max_depth} elements (DATA_MAX_DEPTH)"),
                    ));
                }
            }
            Edge::Close(_) => depth -= 1,
        }
    }
    Ok(doc)
}

/// HTML to Markdown: ATX headings, `-` bullets, fenced code; scripts and styles dropped.
pub fn html_to_markdown(html: &str, max_depth: usize) -> Result<String, DataError> {
    parse(html, false, max_depth)?;
    let conv = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            hr_style: htmd::options::HrStyle::Dashes,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..htmd::options::Options::default()
        })
        .skip_tags(vec!["script", "style", "head", "noscript", "template"])
        .build();
    conv.convert(html)
        .map(|s| s.trim().to_string())
        .map_err(|e| err("html", format!("cannot be converted: {e}")))
}

flowforge_kit::wire_enum! {
    /// What to take from a matched element.
    #[derive(Default)]
    pub enum Take {
        /// Its text, whitespace collapsed (default).
        #[default]
        Text = "text",
        /// Its outer HTML.
        Html = "html",
        /// Its inner HTML.
        InnerHtml = "inner-html" | "innerHtml",
        /// The value of `attribute`.
        Attribute = "attribute" | "attr",
        /// A form control's value (`value` attribute, or a textarea's or select's text).
        Value = "value",
    }
}

/// One thing to extract.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Extraction {
    /// The key of the answer.
    pub key: String,
    /// A CSS selector (`div.product > a[href]`).
    pub selector: String,
    /// text (default), html, inner-html, attribute or value.
    #[serde(default)]
    pub value: Take,
    /// For `attribute`: its name.
    #[serde(default)]
    pub attribute: Option<String>,
    /// Every match as an array (default: the first match, or null).
    #[serde(default)]
    pub all: bool,
    /// Fields to extract within each match: the answer is an object per match.
    #[serde(default)]
    #[schema(no_recursion)]
    pub fields: Vec<Extraction>,
    /// Collapse whitespace and trim text (default true).
    #[serde(default = "yes")]
    pub trim: bool,
}

fn yes() -> bool {
    true
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Compiled {
    key: String,
    selector: Selector,
    value: Take,
    attribute: Option<String>,
    all: bool,
    trim: bool,
    fields: Vec<Compiled>,
}

fn compile(list: &[Extraction], path: &str, depth: usize) -> Result<Vec<Compiled>, DataError> {
    if depth > 8 {
        return Err(err(path, "nests `fields` more than 8 levels deep"));
    }
    list.iter()
        .enumerate()
        .map(|(i, x)| {
            let here = format!("{path}[{i}]");
            let selector = Selector::parse(&x.selector).map_err(|e| {
                err(
                    format!("{here}.selector"),
                    format!("is not a CSS selector: {e}"),
                )
            })?;
            if x.value == Take::Attribute && x.attribute.as_deref().is_none_or(str::is_empty) {
                return Err(err(
                    format!("{here}.attribute"),
                    "is required when `value` is `attribute`",
                ));
            }
            Ok(Compiled {
                key: x.key.clone(),
                selector,
                value: x.value,
                attribute: x.attribute.clone(),
                all: x.all,
                trim: x.trim,
                fields: compile(&x.fields, &format!("{here}.fields"), depth + 1)?,
            })
        })
        .collect()
}

fn take(el: ElementRef, c: &Compiled) -> Value {
    if !c.fields.is_empty() {
        return Value::Object(extract_in(el, &c.fields));
    }
    let text = |s: String| Value::String(if c.trim { collapse(&s) } else { s });
    match c.value {
        Take::Text => text(el.text().collect()),
        Take::Html => Value::String(el.html()),
        Take::InnerHtml => Value::String(el.inner_html()),
        Take::Attribute => c
            .attribute
            .as_deref()
            .and_then(|a| el.value().attr(a))
            .map(|v| Value::String(v.to_string()))
            .unwrap_or(Value::Null),
        Take::Value => match el.value().attr("value") {
            Some(v) => Value::String(v.to_string()),
            None => text(el.text().collect()),
        },
    }
}

fn extract_in(scope: ElementRef, list: &[Compiled]) -> Map<String, Value> {
    let mut out = Map::new();
    for c in list {
        let mut matches = scope.select(&c.selector);
        let v = if c.all {
            Value::Array(matches.map(|m| take(m, c)).collect())
        } else {
            matches.next().map(|m| take(m, c)).unwrap_or(Value::Null)
        };
        out.insert(c.key.clone(), v);
    }
    out
}

/// Extract values from HTML by CSS selectors.
pub fn extract(
    html: &str,
    list: &[Extraction],
    max_depth: usize,
) -> Result<Map<String, Value>, DataError> {
    let compiled = compile(list, "extract", 0)?;
    let doc = parse(html, false, max_depth)?;
    Ok(extract_in(doc.root_element(), &compiled))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flowforge_kit::DomainError;
    use serde_json::json;

    #[test]
    fn markdown_to_html_with_gfm_and_safety() {
        let md = "# Title\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n- [x] done\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))";
        let h = markdown_to_html(md, false);
        assert!(h.contains("<h1>Title</h1>"), "{h}");
        assert!(h.contains("<table>") && h.contains("<del>2</del>"), "{h}");
        assert!(h.contains("checked"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(h.contains("<a href=\"#\">x</a>"), "{h}");
        assert!(markdown_to_html("<b>x</b>", true).contains("<b>x</b>"));
    }

    #[test]
    fn html_to_markdown_basics_and_depth() {
        let html = "<html><head><title>t</title><style>p{}</style></head><body><h2>Hi</h2><p>A <b>bold</b> <a href=\"https://x.org\">link</a>.</p><ul><li>one</li><li>two</li></ul><script>x()</script></body></html>";
        let md = html_to_markdown(html, 512).unwrap();
        assert_eq!(
            md,
            "## Hi\n\nA **bold** [link](https://x.org).\n\n- one\n- two"
        );
        // The deepest tree the limit lets through converts without exhausting a thread's stack.
        assert!(html_to_markdown(&"<div>".repeat(500), 512).is_ok());
        let deep = "<div>".repeat(600);
        assert!(
            html_to_markdown(&deep, 512)
                .unwrap_err()
                .hint()
                .contains("DATA_MAX_DEPTH")
        );
    }

    #[test]
    fn extracts_by_selectors() {
        let html = r#"<div class="p"><h3> Lamp </h3><span class="price">€ 20</span><a href="/lamp">more</a></div>
                      <div class="p"><h3>Desk</h3><span class="price">€ 90</span><a href="/desk">more</a></div>
                      <input name="q" value="search">"#;
        let list: Vec<Extraction> = serde_json::from_value(json!([
            {"key":"first","selector":"h3"},
            {"key":"names","selector":"h3","all":true},
            {"key":"links","selector":"a","value":"attribute","attribute":"href","all":true},
            {"key":"products","selector":"div.p","all":true,"fields":[
                {"key":"name","selector":"h3"},{"key":"price","selector":".price"}]},
            {"key":"q","selector":"input[name=q]","value":"value"},
            {"key":"none","selector":"table"}
        ]))
        .unwrap();
        let out = extract(html, &list, 512).unwrap();
        assert_eq!(
            Value::Object(out),
            json!({"first":"Lamp","names":["Lamp","Desk"],"links":["/lamp","/desk"],
                   "products":[{"name":"Lamp","price":"€ 20"},{"name":"Desk","price":"€ 90"}],
                   "q":"search","none":null})
        );
        let bad: Vec<Extraction> =
            serde_json::from_value(json!([{"key":"x","selector":"div[["}])).unwrap();
        assert_eq!(
            extract("", &bad, 512).unwrap_err().field(),
            "extract[0].selector"
        );
        let no_attr: Vec<Extraction> =
            serde_json::from_value(json!([{"key":"x","selector":"a","value":"attribute"}]))
                .unwrap();
        assert_eq!(
            extract("", &no_attr, 512).unwrap_err().field(),
            "extract[0].attribute"
        );
    }
}
