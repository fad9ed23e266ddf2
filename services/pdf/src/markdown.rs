//! GitHub-flavoured Markdown as Typst markup: headings, paragraphs, emphasis, strike-through,
//! links, inline and fenced code, block quotes, ordered, bullet and task lists, tables with their
//! column alignment, rules and images. Every piece of the author's text is written as a Typst
//! string (`#"…";`), so nothing in it can be read as Typst markup or code.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Where an image of the document comes from (its destination as written), in order.
pub fn image_urls(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// A Typst string literal of `s`.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `markdown` as Typst markup; `image(i)` names the input holding the document's `i`-th image
/// (in the order of [`image_urls`]), or `None` to show its alt text instead.
pub fn to_typst(markdown: &str, image: &dyn Fn(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    let mut images = 0usize;
    // Inside an image: its alt text is collected, not written.
    let mut alt: Option<(String, Option<String>)> = None;
    let mut code: Option<(String, String)> = None;
    let mut table_head = false;
    for event in Parser::new_ext(markdown, options()) {
        if let Some((text, _)) = alt.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::End(TagEnd::Image) => {
                    let Some((text, input)) = alt.take() else {
                        continue;
                    };
                    match input {
                        Some(name) => out.push_str(&format!(
                            "#box(image(sys.inputs.at({}), alt: {}));",
                            string(&name),
                            string(&text)
                        )),
                        None => out.push_str(&format!("#{};", string(&text))),
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, body)) = code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, body)) = code.take() {
                        let body = body.strip_suffix('\n').unwrap_or(&body);
                        out.push_str(&format!(
                            "#raw(block: true, lang: {}, {});\n\n",
                            if lang.is_empty() {
                                "none".into()
                            } else {
                                string(&lang)
                            },
                            string(body)
                        ));
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {}
                Tag::Heading { level, .. } => {
                    let n = match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        HeadingLevel::H4 => 4,
                        HeadingLevel::H5 => 5,
                        HeadingLevel::H6 => 6,
                    };
                    out.push_str(&format!("#heading(level: {n})["));
                }
                Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
                Tag::CodeBlock(kind) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => l
                            .split(|c: char| c.is_whitespace() || c == ',')
                            .next()
                            .unwrap_or("")
                            .to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Tag::List(Some(start)) => out.push_str(&format!("#enum(start: {start}, ")),
                Tag::List(None) => out.push_str("#list("),
                Tag::Item => out.push('['),
                Tag::Table(aligns) => {
                    let a: Vec<&str> = aligns
                        .iter()
                        .map(|a| match a {
                            Alignment::Center => "center",
                            Alignment::Right => "right",
                            Alignment::Left | Alignment::None => "left",
                        })
                        .collect();
                    out.push_str(&format!(
                        "#table(columns: {}, align: ({},), ",
                        a.len().max(1),
                        a.join(", ")
                    ));
                }
                Tag::TableHead => {
                    table_head = true;
                    out.push_str("table.header(");
                }
                Tag::TableRow => {}
                Tag::TableCell => {
                    out.push('[');
                    if table_head {
                        out.push_str("#strong[");
                    }
                }
                Tag::Emphasis => out.push_str("#emph["),
                Tag::Strong => out.push_str("#strong["),
                Tag::Strikethrough => out.push_str("#strike["),
                Tag::Link { dest_url, .. } => {
                    out.push_str(&format!("#link({})[", string(&dest_url)));
                }
                Tag::Image { .. } => {
                    alt = Some((String::new(), image(images)));
                    images += 1;
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => out.push_str("\n\n"),
                TagEnd::Heading(_) => out.push_str("]\n\n"),
                TagEnd::BlockQuote(_) => out.push_str("]\n\n"),
                TagEnd::List(_) => out.push_str(");\n\n"),
                TagEnd::Item => out.push_str("], "),
                TagEnd::Table => out.push_str(");\n\n"),
                TagEnd::TableHead => {
                    table_head = false;
                    out.push_str("), ");
                }
                TagEnd::TableCell => {
                    if table_head {
                        out.push(']');
                    }
                    out.push_str("], ");
                }
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                    out.push(']');
                }
                _ => {}
            },
            Event::Text(t) => out.push_str(&format!("#{};", string(&t))),
            Event::Code(t) => out.push_str(&format!("#raw({});", string(&t))),
            Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&format!("#{};", string(&t)));
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("#linebreak();"),
            Event::Rule => out.push_str("#line(length: 100%, stroke: 0.5pt + luma(180));\n\n"),
            Event::TaskListMarker(done) => {
                out.push_str(if done { "#\"☑ \";" } else { "#\"☐ \";" });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typst(md: &str) -> String {
        to_typst(md, &|_| None)
    }

    #[test]
    fn text_cannot_become_markup() {
        let t = typst("#set page(width: 1pt) \"quoted\" \\ $x$ **bold**");
        assert!(
            t.contains("#\"#set page(width: 1pt) \\\"quoted\\\" \\\\ $x$ \";"),
            "{t}"
        );
        assert!(t.contains("#strong[#\"bold\";]"), "{t}");
    }

    #[test]
    fn structures() {
        let t = typst(
            "# Title\n\n- [x] done\n- [ ] open\n\n1. one\n2. two\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(t.contains("#heading(level: 1)[#\"Title\";]"), "{t}");
        assert!(t.contains("#list([#\"☑ \";#\"done\";], "), "{t}");
        assert!(t.contains("#enum(start: 1, "), "{t}");
        assert!(
            t.contains(
                "#table(columns: 2, align: (left, right,), table.header([#strong[#\"a\";]], "
            ),
            "{t}"
        );
        assert!(
            t.contains("#raw(block: true, lang: \"rust\", \"fn main() {}\");"),
            "{t}"
        );
    }

    #[test]
    fn images_by_input_or_alt_text() {
        let md = "![logo](https://example.com/a.png) and ![chart](chart.png)";
        assert_eq!(
            image_urls(md),
            vec!["https://example.com/a.png", "chart.png"]
        );
        let t = to_typst(md, &|i| (i == 1).then(|| "img1".to_string()));
        assert!(t.contains("#\"logo\";"), "{t}");
        assert!(
            t.contains("#box(image(sys.inputs.at(\"img1\"), alt: \"chart\"));"),
            "{t}"
        );
    }
}
