//! `POST /api/v1/pdf/generate`: a PDF from a built-in template and JSON data, from Typst, from
//! Markdown, or from images; typeset by Typst in the worker processes.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use flowforge_kit::binary::{FetchPolicy, decode_base64, fetch, read_optional_files};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, respond_pdf};
use crate::error::PdfError;
use crate::generate::{self, Asset, Fit, Layout, Prose, Template};
use crate::worker::Job;

/// What to typeset and how: one of `template` (with `data`), `typst` (with `data`),
/// `markdown`, or images sent as `files`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenerateOptions {
    /// A built-in template, filled with `data`: `invoice`, `receipt`, `report` or `letter`.
    pub template: Option<Template>,
    /// Typst markup of your own; `data` is `sys.inputs.data` (and the file `data.json`), files
    /// you send are found by name (`image("logo.png")`).
    pub typst: Option<String>,
    /// GitHub-flavoured Markdown (tables, task lists, code, images by URL, data URI or the name
    /// of a file you send).
    pub markdown: Option<String>,
    /// HTML to print with headless Chromium (CSS, web fonts, scripts); files you send are
    /// found by their names (`<img src="logo.png">`), anything else by URL through the address
    /// policy. 503 when the server has no Chromium.
    pub html: Option<String>,
    /// A web page to print with headless Chromium; the page and everything it loads are
    /// fetched through the address policy (no private addresses unless PDF_FETCH_ALLOW_PRIVATE).
    pub url: Option<String>,
    /// The data a template or your Typst reads (any JSON; text holding JSON is read as JSON).
    pub data: Option<Value>,
    /// Paper size: `a4` (default), `a3`, `a5`, `a6`, `b5`, `us-letter`, `us-legal`,
    /// `us-executive`.
    pub paper: Option<String>,
    /// Page margins: `"2cm"`, `"20mm"`, `"1in"`, `"36pt"`, or a number of millimetres
    /// (Markdown, images, HTML and web pages; default 1cm for HTML, whose CSS `@page` wins).
    #[schema(value_type = Option<String>)]
    pub margin: Option<Value>,
    /// Pages turned sideways (Markdown, images, HTML and web pages).
    #[serde(default)]
    pub landscape: bool,
    /// A font family this server has (`POST /api/v1/pdf/fonts` lists them); default DejaVu Sans.
    pub font: Option<String>,
    /// Body text size in points (Markdown; default 10.5).
    #[schema(minimum = 4, maximum = 72)]
    pub font_size: Option<f64>,
    /// The text's language (`en`, `de`, `ja`, …): hyphenation and quotation marks.
    pub lang: Option<String>,
    /// Markdown: a title over the text (and the PDF's title).
    pub title: Option<String>,
    /// Markdown: under the title.
    pub subtitle: Option<String>,
    /// Markdown: the author (also the PDF's author).
    pub author: Option<String>,
    /// Markdown: a date under the title.
    pub date: Option<String>,
    /// Markdown: the title on a page of its own.
    #[serde(default)]
    pub title_page: bool,
    /// Markdown: a table of contents after the title.
    #[serde(default)]
    pub toc: bool,
    /// Markdown, HTML and web pages: header text on every page; `{page}` and `{pages}` become
    /// numbers.
    pub header: Option<String>,
    /// Markdown, HTML and web pages: footer text on every page; `{page}` and `{pages}` become
    /// numbers.
    pub footer: Option<String>,
    /// Markdown, HTML and web pages: page numbers in the footer (`1 / 3`) when there is no
    /// footer text.
    #[serde(default)]
    pub page_numbers: bool,
    /// Images: `page` (scaled to the paper, default) or `original` (each page the image's size).
    pub fit: Option<Fit>,
    /// HTML and web pages: run the page's scripts (default true).
    pub javascript: Option<bool>,
    /// HTML and web pages: milliseconds to wait after the page has loaded and its requests
    /// have settled (for animations, charts), within PDF_BROWSER_TIMEOUT_SECS.
    #[schema(minimum = 0, maximum = 60000)]
    pub wait_delay: Option<u64>,
    /// HTML and web pages: a JavaScript expression to wait for until it is true
    /// (`window.chartsReady === true`), within PDF_BROWSER_TIMEOUT_SECS.
    pub wait_for_expression: Option<String>,
    /// HTML and web pages: the CSS media to print with, `print` (default) or `screen`.
    pub media: Option<String>,
    /// HTML and web pages: print background colours and images (default true).
    pub print_background: Option<bool>,
    /// HTML and web pages: zoom, from 0.1 to 2 (default 1).
    #[schema(minimum = 0.1, maximum = 2)]
    pub scale: Option<f64>,
    /// HTML and web pages: only these pages (`1-3,5`).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// The answer's file name (default `<template>.pdf` or `document.pdf`).
    pub filename: Option<String>,
}

/// A file a document uses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetRef {
    /// The file, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch it from.
    pub url: Option<String>,
    /// The name your Typst or Markdown uses for it (`logo.png`); `logo` is the logo the
    /// templates show.
    pub name: Option<String>,
}

/// The JSON form of `generate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"template": "invoice", "data": {"number": "INV-2026-0042", "date": "2026-12-04", "dueDate": "2027-01-03", "currency": "EUR",
    "seller": {"name": "Acme GmbH", "address": "Hauptstraße 1\n10115 Berlin", "vatId": "DE123456789"},
    "buyer": {"name": "Jane Roe", "address": "1 Main Street\nSpringfield"},
    "items": [{"description": "Widget", "quantity": 3, "unitPrice": 19.99, "taxRate": 19}, {"description": "Support hour", "quantity": 2, "unitPrice": 80, "taxRate": 19}],
    "paymentDetails": {"iban": "DE02 1203 0000 0000 2020 51", "reference": "INV-2026-0042"}, "notes": "Thank you for your business."}}))]
pub struct GenerateRequest {
    /// Files the document uses (images for Markdown or Typst, a template's `logo`); with no
    /// template, Typst or Markdown, images to make into pages, one each. Or send them as the
    /// repeated multipart field `files`.
    pub files: Option<Vec<AssetRef>>,
    /// What to typeset and how.
    #[serde(flatten)]
    pub options: GenerateOptions,
    /// `file` (the default unless Accept asks for JSON only) or `json` (`{"data": base64}`).
    pub response: Option<String>,
}

/// Typeset a PDF: a built-in `template` (invoice, receipt, report, letter) with your `data`,
/// your own `typst` with `data`, `markdown`, or images sent as `files`.
#[utoipa::path(post, path = "/api/v1/pdf/generate", tag = "pdf",
    request_body(content = GenerateRequest, description = "JSON; or multipart with the fields as text (`data` as JSON text) and files in the repeated field `files`."),
    responses((status = 200, description = "The PDF (`pages` beside `data` in a JSON answer)", content_type = "application/pdf"),
        (status = 400, description = "A bad option, or Typst's error in your markup or data (with its line and column)"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (PDF_FETCH_ALLOW_PRIVATE)"),
        (status = 503, description = "`html` or `url`: this server has no Chromium (install Debian's `chromium` or set CHROMIUM_PATH)"),
        (status = 504, description = "Typesetting ran past PDF_TIMEOUT_SECS, or a page did not load and print within PDF_BROWSER_TIMEOUT_SECS")))]
pub async fn generate(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let mut input = read_optional_files(
        &parts.headers,
        parts.uri.query(),
        body,
        st.config.max_body,
        &st.config.fetch,
        st.config.max_files,
    )
    .await?;
    // Multipart and query strings carry `data` as text.
    if let Some(Value::String(s)) = input.options.get("data")
        && let Ok(v) = serde_json::from_str::<Value>(s)
        && (v.is_object() || v.is_array())
    {
        input.options.insert("data".into(), v);
    }
    let o: GenerateOptions = flowforge_kit::extract::from_value(Value::Object(input.options))?;
    let mut files: Vec<(String, Vec<u8>, String)> = Vec::with_capacity(input.files.len());
    for (i, f) in input.files.into_iter().enumerate() {
        let name = f.name.clone().unwrap_or_else(|| format!("file{i}"));
        files.push((name, f.bytes.to_vec(), f.field));
    }
    let sources = [
        o.template.is_some(),
        o.typst.is_some(),
        o.markdown.is_some(),
        o.html.is_some(),
        o.url.is_some(),
    ];
    let n = sources.iter().filter(|s| **s).count();
    if n > 1 {
        return Err(ApiError::field(
            "template",
            "give one of `template`, `typst`, `markdown`, `html` or `url`, not several",
        ));
    }
    if o.html.is_some() || o.url.is_some() {
        let pdf = print_page(&st, &o, files).await?;
        // Parsing the printed PDF for its page count is CPU work: the pool, not the runtime.
        let (pdf, pages) = st
            .cpu
            .run(move || {
                let pages = lopdf::Document::load_mem(&pdf)
                    .map(|d| d.get_pages().len())
                    .unwrap_or(0);
                (pdf, pages)
            })
            .await?;
        let mut meta = Map::new();
        meta.insert("pages".into(), Value::from(pages));
        let filename = o.filename.clone().unwrap_or_else(|| "document.pdf".into());
        return Ok(respond_pdf(
            &parts.headers,
            input.response,
            pdf,
            &filename,
            meta,
        ));
    }
    if n == 0 && files.is_empty() {
        return Err(ApiError::field(
            "template",
            "is missing: give `template` (invoice, receipt, report, letter) with `data`, `typst`, `markdown`, or images as `files`",
        ));
    }
    let layout = Layout::checked(
        o.paper.clone(),
        o.margin.clone(),
        o.landscape,
        o.font.clone(),
        o.font_size,
        o.lang.clone(),
    )?;
    let data = o.data.clone().unwrap_or(Value::Null);
    let (work, field, filename) = if let Some(t) = o.template {
        let assets = assets(files)?;
        (
            generate::template(t, data, &layout, assets),
            "data",
            format!("{}.pdf", t.name()),
        )
    } else if let Some(src) = o.typst.clone() {
        (
            generate::typst(src, data, assets(files)?),
            "typst",
            "document.pdf".into(),
        )
    } else if let Some(md) = o.markdown.clone() {
        let urls = crate::markdown::image_urls(&md);
        if urls.len() > st.config.max_files {
            return Err(ApiError::field(
                "markdown",
                format!(
                    "has {} images; at most {} (PDF_MAX_FILES)",
                    urls.len(),
                    st.config.max_files
                ),
            ));
        }
        let assets = assets(files)?;
        let mut images = Vec::with_capacity(urls.len());
        let mut total = 0usize;
        for (i, u) in urls.iter().enumerate() {
            let bytes = image_bytes(u, &assets, st.config.max_body, &st.config.fetch).await?;
            total += bytes.as_ref().map_or(0, Vec::len);
            if total > st.config.max_body {
                return Err(ApiError::field(
                    "markdown",
                    "has images larger than PDF_MAX_INPUT_MB together",
                ));
            }
            images.push(bytes.map(|bytes| Asset {
                name: format!("md-image-{i}"),
                bytes,
            }));
        }
        let prose = Prose {
            title: o.title.clone(),
            subtitle: o.subtitle.clone(),
            author: o.author.clone(),
            date: o.date.clone(),
            title_page: o.title_page,
            toc: o.toc,
            header: o.header.clone(),
            footer: o.footer.clone(),
            page_numbers: o.page_numbers,
        };
        (
            generate::markdown(&md, &prose, &layout, images, assets),
            "markdown",
            "document.pdf".into(),
        )
    } else {
        let mut imgs = Vec::with_capacity(files.len());
        for (_, bytes, field) in files {
            if image::guess_format(&bytes).is_err() && !looks_like_svg(&bytes) {
                return Err(PdfError::unsupported(
                    &field,
                    "is not an image: send PNG, JPEG, GIF, WebP or SVG files",
                )
                .into());
            }
            imgs.push(bytes);
        }
        (
            generate::images(imgs, o.fit.unwrap_or_default(), &layout),
            "files",
            "images.pdf".into(),
        )
    };
    let (typeset, body) = work;
    let job = Job {
        typeset: Some(typeset),
        ..Job::new("typeset")
    };
    let (reply, pdf) = st.workers.run(&job, &body).await?;
    if let Some((_, message)) = reply.error {
        return Err(ApiError::field(
            field,
            format!("could not be typeset: {message}"),
        ));
    }
    let mut meta = Map::new();
    meta.insert("pages".into(), Value::from(reply.page_count));
    let filename = o.filename.unwrap_or(filename);
    Ok(respond_pdf(
        &parts.headers,
        input.response,
        pdf,
        &filename,
        meta,
    ))
}

/// `html` or `url` printed by Chromium.
async fn print_page(
    st: &St,
    o: &GenerateOptions,
    files: Vec<(String, Vec<u8>, String)>,
) -> Result<Vec<u8>, ApiError> {
    use crate::browser::{PrintOptions, Source};
    let paper = crate::geometry::paper(o.paper.as_deref().unwrap_or("a4"))?;
    let margin = match &o.margin {
        None | Some(Value::Null) => 28.35,
        Some(v) => crate::geometry::length_pt(v).ok_or_else(|| {
            ApiError::field(
                "margin",
                "must be a length such as `2cm`, `20mm`, `1in` or `36pt`, or a number of millimetres",
            )
        })?,
    };
    let media = match o.media.as_deref().unwrap_or("print") {
        "print" => "print",
        "screen" => "screen",
        _ => return Err(ApiError::field("media", "must be `print` or `screen`")),
    };
    let scale = o.scale.unwrap_or(1.0);
    if !(0.1..=2.0).contains(&scale) {
        return Err(ApiError::field("scale", "must be from 0.1 to 2"));
    }
    let wait_delay = o.wait_delay.unwrap_or(0);
    if wait_delay > 60_000 {
        return Err(ApiError::field(
            "waitDelay",
            "must be at most 60000 milliseconds",
        ));
    }
    if let Some(p) = &o.pages
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ',' | ' '))
    {
        return Err(ApiError::field(
            "pages",
            "must be page numbers and ranges such as `1-3,5`",
        ));
    }
    let javascript = o.javascript.unwrap_or(true);
    if o.wait_for_expression.is_some() && !javascript {
        return Err(ApiError::field(
            "waitForExpression",
            "needs `javascript` on",
        ));
    }
    let footer = o
        .footer
        .clone()
        .or_else(|| o.page_numbers.then(|| "{page} / {pages}".to_string()));
    let source = if let Some(html) = &o.html {
        Source::Html {
            html: html.clone(),
            files: assets(files)?
                .into_iter()
                .map(|a| (a.name, a.bytes))
                .collect(),
        }
    } else {
        let url = o.url.clone().unwrap_or_default();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ApiError::field("url", "must be an http or https address"));
        }
        Source::Url(url)
    };
    let opts = PrintOptions {
        paper: (paper.1, paper.2),
        margins: [margin; 4],
        landscape: o.landscape,
        print_background: o.print_background.unwrap_or(true),
        prefer_css_page_size: true,
        scale,
        page_ranges: o.pages.clone(),
        header: o.header.as_deref().map(header_template),
        footer: footer.as_deref().map(header_template),
        javascript,
        media,
        wait_delay: std::time::Duration::from_millis(wait_delay),
        wait_for: o.wait_for_expression.clone(),
        fetch: st.config.fetch.clone(),
        max_bytes: st.config.max_body,
        max_requests: st.config.browser_max_requests,
    };
    // A little under the route's own limit, so this message (which names what to do) is the one
    // a client sees.
    let budget = st.config.timeout.mul_f64(0.9);
    Ok(st.browser.print(source, &opts, budget).await?)
}

/// A header or footer text as a Chromium template: the text escaped, `{page}`, `{pages}`,
/// `{title}` and `{date}` filled in by Chromium on every page.
fn header_template(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let filled = escaped
        .replace("{page}", "<span class=\"pageNumber\"></span>")
        .replace("{pages}", "<span class=\"totalPages\"></span>")
        .replace("{n}", "<span class=\"pageNumber\"></span>")
        .replace("{total}", "<span class=\"totalPages\"></span>")
        .replace("{title}", "<span class=\"title\"></span>")
        .replace("{date}", "<span class=\"date\"></span>");
    format!(
        "<div style=\"width:100%;font-size:9px;font-family:'DejaVu Sans',sans-serif;color:#444;text-align:center;padding:0 10mm\">{filled}</div>"
    )
}

fn looks_like_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(512)];
    String::from_utf8_lossy(head).contains("<svg")
}

/// The request's files as assets, each under a name a document can use.
fn assets(files: Vec<(String, Vec<u8>, String)>) -> Result<Vec<Asset>, ApiError> {
    files
        .into_iter()
        .map(|(name, bytes, field)| {
            if generate::asset_name_ok(&name) {
                Ok(Asset { name, bytes })
            } else {
                Err(ApiError::field(
                    format!("{field}.name"),
                    "must be a file name of letters, digits, `.`, `_` and `-` (folders with `/`, no `..`)",
                ))
            }
        })
        .collect()
}

/// A Markdown image's bytes: a file sent with the request by that name, a data URI, or an
/// http(s) URL fetched through the address policy; `None` (its alt text shows) otherwise.
async fn image_bytes(
    url: &str,
    assets: &[Asset],
    limit: usize,
    policy: &FetchPolicy,
) -> Result<Option<Vec<u8>>, ApiError> {
    if let Some(a) = assets.iter().find(|a| a.name == url) {
        return Ok(Some(a.bytes.clone()));
    }
    if url.starts_with("data:") {
        return decode_base64(url, "markdown").map(Some);
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        let (bytes, _) = fetch(url, limit, policy)
            .await
            .map_err(|e| e.prefixed("markdown"))?;
        return Ok(Some(bytes.to_vec()));
    }
    Ok(None)
}

/// The fonts documents can use.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Fonts {
    /// Font family names, for `font` and for Typst's `text(font: …)`.
    pub families: Vec<String>,
}

/// `fonts` takes nothing: an empty JSON object.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({}))]
pub struct FontsRequest {}

/// The font families `generate`, the overlays and your Typst can use on this server.
#[utoipa::path(post, path = "/api/v1/pdf/fonts", tag = "pdf",
    request_body(content = FontsRequest, description = "Nothing: `{}`."),
    responses((status = 200, description = "The font families", body = Fonts)))]
pub async fn fonts(
    State(st): State<St>,
    _body: flowforge_kit::extract::Json<FontsRequest>,
) -> Result<axum::Json<Fonts>, ApiError> {
    let families = st.cpu.run(crate::typeset::families).await?;
    Ok(axum::Json(Fonts { families }))
}
