//! What `generate` typesets: a built-in template with the caller's data, the caller's own Typst,
//! Markdown, or images (one page each), turned into a [`Typeset`] job for a worker. Options the
//! markup depends on (paper, margins, font, language) are checked here and written into the
//! source only once valid; free text (titles, headers, footers) reaches the document as
//! `sys.inputs`, never as markup.

use std::collections::HashMap;

use crate::error::PdfError;
use crate::geometry::length;
use crate::markdown;
use crate::typeset::Typeset;

/// The built-in templates and the file they share.
const COMMON: &str = include_str!("../templates/common.typ");

/// A built-in template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// An invoice: seller, buyer, items with quantities, prices, tax rates and discounts; totals
    /// per tax rate; payment details, notes and terms.
    Invoice,
    /// A till receipt, 80 mm wide: store, items, tax, tip, total, payment method.
    Receipt,
    /// A report: title block, key figures, summary, sections with paragraphs, bullets and tables.
    Report,
    /// A business letter: sender, recipient, date, subject, body, closing and signature.
    Letter,
}

impl Template {
    /// Its name, as requests give it.
    pub fn name(self) -> &'static str {
        match self {
            Template::Invoice => "invoice",
            Template::Receipt => "receipt",
            Template::Report => "report",
            Template::Letter => "letter",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Template::Invoice => include_str!("../templates/invoice.typ"),
            Template::Receipt => include_str!("../templates/receipt.typ"),
            Template::Report => include_str!("../templates/report.typ"),
            Template::Letter => include_str!("../templates/letter.typ"),
        }
    }
}

/// Page and text options, checked.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// A Typst paper name.
    pub paper: Option<String>,
    /// A Typst length (`2cm`).
    pub margin: Option<String>,
    /// Pages turned sideways.
    pub landscape: bool,
    /// A font family the server has.
    pub font: Option<String>,
    /// Body text size in points.
    pub font_size: Option<f64>,
    /// An ISO 639 language code (hyphenation, quotes).
    pub lang: Option<String>,
}

impl Layout {
    /// Check each option, naming the field that is wrong.
    pub fn checked(
        paper: Option<String>,
        margin: Option<serde_json::Value>,
        landscape: bool,
        font: Option<String>,
        font_size: Option<f64>,
        lang: Option<String>,
    ) -> Result<Layout, PdfError> {
        let paper = match paper {
            None => None,
            Some(p) => Some(crate::geometry::paper(&p)?.0.to_string()),
        };
        let margin = match margin {
            None | Some(serde_json::Value::Null) => None,
            Some(m) => Some(length(&m).ok_or_else(|| {
                PdfError::invalid(
                    "margin",
                    "must be a length such as \"2cm\", \"20mm\", \"1in\" or \"36pt\" (a bare number is millimetres), at most 10cm",
                )
            })?),
        };
        let font = crate::typeset::checked_font(font)?;
        if let Some(s) = font_size
            && !(4.0..=72.0).contains(&s)
        {
            return Err(PdfError::invalid(
                "fontSize",
                "must be between 4 and 72 (points)",
            ));
        }
        let lang = match lang {
            None => None,
            Some(l) => {
                let l = l.trim().to_ascii_lowercase();
                let l = l.split(['-', '_']).next().unwrap_or("").to_string();
                if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                    return Err(PdfError::invalid(
                        "lang",
                        "must be a language code such as \"en\", \"de\" or \"ja\"",
                    ));
                }
                Some(l)
            }
        };
        Ok(Layout {
            paper,
            margin,
            landscape,
            font,
            font_size,
            lang,
        })
    }

    fn inputs(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        if let Some(p) = &self.paper {
            m.insert("paper".into(), p.clone());
        }
        if let Some(f) = &self.font {
            m.insert("font".into(), f.clone());
        }
        if let Some(l) = &self.lang {
            m.insert("lang".into(), l.clone());
        }
        m
    }

    /// Typst set rules for these options (values checked, so safe to write into the source).
    fn rules(&self, default_margin: &str) -> String {
        let mut s = format!(
            "#set page(paper: {}, margin: {}, flipped: {})\n",
            markdown::string(self.paper.as_deref().unwrap_or("a4")),
            self.margin.as_deref().unwrap_or(default_margin),
            self.landscape
        );
        let font = self
            .font
            .as_deref()
            .map(|f| format!("{}, ", markdown::string(f)))
            .unwrap_or_default();
        s.push_str(&format!(
            "#set text(font: ({font}\"DejaVu Sans\", \"Libertinus Serif\"), size: {}pt, lang: {})\n",
            self.font_size.unwrap_or(10.5),
            markdown::string(self.lang.as_deref().unwrap_or("en"))
        ));
        s
    }
}

/// A file a document may use (`image("logo.png")` in Typst, `![](logo.png)` in Markdown).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its name.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A job and its body (the files one after another).
pub type Work = (Typeset, Vec<u8>);

fn pack(mut t: Typeset, assets: Vec<Asset>) -> Work {
    let mut body = Vec::with_capacity(assets.iter().map(|a| a.bytes.len()).sum());
    for a in assets {
        t.files.push((a.name, a.bytes.len()));
        body.extend_from_slice(&a.bytes);
    }
    (t, body)
}

/// Whether a file name is one a document can refer to: letters, digits, `.`, `_`, `-` and `/`
/// between names; no `..`.
pub fn asset_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/ ".contains(&b))
        && !name
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
}

/// A built-in template with `data`; a `logo` asset is placed by the templates that show one.
pub fn template(t: Template, data: serde_json::Value, layout: &Layout, assets: Vec<Asset>) -> Work {
    let mut options = layout.inputs();
    let mut all = vec![Asset {
        name: "common.typ".into(),
        bytes: COMMON.as_bytes().to_vec(),
    }];
    for mut a in assets {
        if a.name == "logo" {
            // Named by its kind, so Typst knows how to read it.
            let ext = match image::guess_format(&a.bytes) {
                Ok(image::ImageFormat::Png) => "png",
                Ok(image::ImageFormat::Jpeg) => "jpg",
                Ok(image::ImageFormat::Gif) => "gif",
                Ok(image::ImageFormat::WebP) => "webp",
                _ => "svg",
            };
            a.name = format!("logo.{ext}");
            options.insert("logo".into(), format!("/{}", a.name));
        }
        all.push(a);
    }
    pack(
        Typeset {
            source: t.source().to_string(),
            data,
            inputs: options,
            files: Vec::new(),
            byte_inputs: Vec::new(),
            untagged: false,
            no_inputs: true,
        },
        all,
    )
}

/// The caller's own Typst with `data` and files.
pub fn typst(source: String, data: serde_json::Value, assets: Vec<Asset>) -> Work {
    pack(
        Typeset {
            source,
            data,
            ..Default::default()
        },
        assets,
    )
}

/// Options of a Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    /// The document's title (a title block, or a title page with `title_page`).
    pub title: Option<String>,
    /// Under the title.
    pub subtitle: Option<String>,
    /// The author (also in the PDF's metadata).
    pub author: Option<String>,
    /// A date under the title.
    pub date: Option<String>,
    /// The title on a page of its own.
    pub title_page: bool,
    /// A table of contents after the title.
    pub toc: bool,
    /// Header text; `{page}` and `{pages}` are replaced.
    pub header: Option<String>,
    /// Footer text; `{page}` and `{pages}` are replaced.
    pub footer: Option<String>,
    /// Page numbers in the footer (`{page} / {pages}`) when there is no footer text.
    pub page_numbers: bool,
}

/// Markdown (its images as the assets `images` names, in order, `None` where one could not be
/// had) with page, title and header options.
pub fn markdown(
    text: &str,
    prose: &Prose,
    layout: &Layout,
    images: Vec<Option<Asset>>,
    assets: Vec<Asset>,
) -> Work {
    let names: Vec<Option<String>> = images
        .iter()
        .map(|a| a.as_ref().map(|a| a.name.clone()))
        .collect();
    let body = markdown::to_typst(text, &|i| names.get(i).cloned().flatten());
    let mut inputs = layout.inputs();
    let mut s = layout.rules("2.2cm");
    for (k, v) in [
        ("title", &prose.title),
        ("subtitle", &prose.subtitle),
        ("author", &prose.author),
        ("date", &prose.date),
        ("header", &prose.header),
        ("footer", &prose.footer),
    ] {
        if let Some(v) = v {
            inputs.insert(k.into(), v.clone());
        }
    }
    let footer = match (&prose.footer, prose.page_numbers) {
        (Some(_), _) => "sys.inputs.footer",
        (None, true) => "\"{page} / {pages}\"",
        (None, false) => "none",
    };
    s.push_str(&format!(
        r##"#let fill(s) = context {{
  let n = counter(page).get().first()
  let total = counter(page).final().first()
  s.replace("{{page}}", str(n)).replace("{{pages}}", str(total)).replace("{{n}}", str(n)).replace("{{total}}", str(total))
}}
#set page(
  header: {header},
  footer: {footer_rule},
)
#set document(title: sys.inputs.at("title", default: none), author: sys.inputs.at("author", default: ()))
#set par(justify: true, leading: 0.7em)
#set heading(numbering: {numbering})
#show heading: set block(above: 1.3em, below: 0.7em)
#show raw.where(block: true): block.with(fill: luma(246), inset: 8pt, radius: 3pt, width: 100%)
#show raw: set text(font: "DejaVu Sans Mono")
#show link: set text(fill: rgb("#1f4e79"))
#show quote.where(block: true): it => block(inset: (left: 10pt), stroke: (left: 2pt + luma(200)), it.body)
#set table(stroke: 0.5pt + luma(190), inset: 6pt)
#show image: set image(fit: "contain")
"##,
        header = if prose.header.is_some() {
            "align(center, text(size: 0.8em, fill: luma(100), fill(sys.inputs.header)))"
        } else {
            "none"
        },
        footer_rule = if footer == "none" {
            "none".to_string()
        } else {
            format!("align(center, text(size: 0.8em, fill: luma(100), fill({footer})))")
        },
        numbering = "none",
    ));
    if prose.title.is_some() {
        let block = r#"{
  text(size: 2em, weight: "bold", sys.inputs.title)
  if "subtitle" in sys.inputs { linebreak(); text(size: 1.3em, fill: luma(90), sys.inputs.subtitle) }
  let by = (sys.inputs.at("author", default: none), sys.inputs.at("date", default: none)).filter(x => x != none)
  if by.len() > 0 { v(0.5em); text(fill: luma(90), by.join("  ·  ")) }
}"#;
        if prose.title_page {
            s.push_str(&format!(
                "#page(header: none, footer: none, align(center + horizon, {block}))\n"
            ));
        } else {
            s.push_str(&format!("#block(below: 1.5em, {block})\n"));
        }
    }
    if prose.toc {
        s.push_str("#outline()\n#pagebreak(weak: true)\n");
    }
    s.push_str(&body);
    let mut all: Vec<Asset> = images.into_iter().flatten().collect();
    let byte_inputs = all.iter().map(|a| a.name.clone()).collect();
    all.extend(assets);
    pack(
        Typeset {
            source: s,
            data: serde_json::Value::Null,
            inputs,
            files: Vec::new(),
            byte_inputs,
            untagged: false,
            no_inputs: false,
        },
        all,
    )
}

/// How images are placed on their pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Scaled to fit the paper inside its margins, centred (the default).
    #[default]
    Page,
    /// Each page the image's own size.
    Original,
}

/// One page per image.
pub fn images(images: Vec<Vec<u8>>, fit: Fit, layout: &Layout) -> Work {
    let n = images.len();
    let mut s = String::new();
    match fit {
        Fit::Page => {
            s.push_str(&layout.rules("1cm"));
            s.push_str(&format!(
                "#for i in range({n}) {{ if i > 0 {{ pagebreak() }}; align(center + horizon, image(sys.inputs.at(\"img\" + str(i)), width: 100%, height: 100%, fit: \"contain\")) }}\n"
            ));
        }
        Fit::Original => {
            s.push_str("#set page(width: auto, height: auto, margin: 0pt)\n");
            s.push_str(&format!(
                "#for i in range({n}) {{ if i > 0 {{ pagebreak() }}; image(sys.inputs.at(\"img\" + str(i))) }}\n"
            ));
        }
    }
    let assets: Vec<Asset> = images
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| Asset {
            name: format!("img{i}"),
            bytes,
        })
        .collect();
    let byte_inputs = assets.iter().map(|a| a.name.clone()).collect();
    pack(
        Typeset {
            source: s,
            byte_inputs,
            ..Default::default()
        },
        assets,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::compile;

    fn run((t, body): Work) -> Result<usize, String> {
        compile(&t, &body).map(|(_, p)| p).map_err(|e| e.message)
    }

    #[test]
    fn every_template_typesets_empty_and_full_data() {
        let full = serde_json::json!({
            "number": "INV-7", "date": "2026-12-04", "currency": "EUR",
            "seller": {"name": "Acme GmbH", "address": {"street": "Hauptstr. 1", "postalCode": "10115", "city": "Berlin"}, "vatId": "DE123"},
            "buyer": {"name": "Jane Roe", "address": "1 Main St\nSpringfield"},
            "items": [{"description": "Widget", "quantity": 3, "unitPrice": "19.99", "taxRate": 19},
                      {"name": "Service", "qty": 1.5, "price": 80, "tax": 7, "discount": 10}],
            "paymentDetails": {"iban": "DE00 1234", "reference": "INV-7"},
            "notes": "Thanks!", "title": "Q4 report", "sections": [{"heading": "Sales", "body": "Up.\n\nMore.", "table": {"rows": [{"region": "EU", "revenue": 1200}]}}],
            "metrics": [{"label": "Revenue", "value": 1234567}], "store": {"name": "Café"},
            "sender": {"name": "A"}, "recipient": {"name": "B"}, "body": "Hello.\n\nBye."
        });
        for t in [
            Template::Invoice,
            Template::Receipt,
            Template::Report,
            Template::Letter,
        ] {
            let layout = Layout::default();
            for data in [
                serde_json::json!({}),
                full.clone(),
                serde_json::json!([1, 2]),
            ] {
                if let Err(e) = run(template(t, data.clone(), &layout, vec![])) {
                    panic!("{t:?} with {data}: {e}");
                }
            }
        }
    }

    #[test]
    fn markdown_with_title_toc_and_numbers() {
        let prose = Prose {
            title: Some("Hand\"book #1".into()),
            toc: true,
            page_numbers: true,
            header: Some("ACME — {page} of {pages}".into()),
            ..Default::default()
        };
        let md = "# One\n\nText *em* **strong** `code` ~~old~~ [link](https://example.com)\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n```\nraw\n```\n\n---\n\n## Two\n\n![missing](x.png)\n";
        assert!(run(markdown(md, &prose, &Layout::default(), vec![None], vec![])).is_ok());
    }

    #[test]
    fn layout_checks_name_the_field() {
        let e = Layout::checked(Some("a9".into()), None, false, None, None, None).unwrap_err();
        assert!(format!("{e:?}").contains("paper"));
        let e = Layout::checked(
            None,
            Some(serde_json::json!("2 furlongs")),
            false,
            None,
            None,
            None,
        )
        .unwrap_err();
        assert!(format!("{e:?}").contains("margin"));
        let e = Layout::checked(None, None, false, Some("No Such Font".into()), None, None)
            .unwrap_err();
        assert!(format!("{e:?}").contains("font"));
        let ok = Layout::checked(
            Some("Letter".into()),
            Some(serde_json::json!(15)),
            true,
            None,
            Some(12.0),
            Some("de-AT".into()),
        )
        .unwrap();
        assert_eq!(ok.paper.as_deref(), Some("us-letter"));
        assert_eq!(ok.margin.as_deref(), Some("15mm"));
        assert_eq!(ok.lang.as_deref(), Some("de"));
        assert_eq!(
            length(&serde_json::json!("1.5 in")).as_deref(),
            Some("1.5in")
        );
        assert_eq!(crate::geometry::length(&serde_json::json!("30cm")), None);
    }

    #[test]
    fn asset_names() {
        assert!(asset_name_ok("logo.png"));
        assert!(asset_name_ok("img/chart-1.svg"));
        assert!(!asset_name_ok("../etc/passwd"));
        assert!(!asset_name_ok("a//b"));
        assert!(!asset_name_ok(""));
    }
}
