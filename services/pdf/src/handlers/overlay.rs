//! `POST /api/v1/pdf/watermark`, `/stamp`, `/page-numbers` and `/header-footer`: text in any
//! script (or an image) typeset by Typst and laid over the chosen pages.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use flowforge_kit::binary::decode_base64;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::{One, St, one, open, respond_pdf};
use crate::error::PdfError;
use crate::overlay::{self, Item, POSITIONS, Sheet, fill};
use crate::typeset::Typeset;
use crate::worker::Job;

/// Options of `watermark` and `stamp`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MarkOptions {
    /// The text, in any script (or give `image`).
    pub text: Option<String>,
    /// An image instead of text: base64 (or a data URI; multipart: a file part named `image`).
    pub image: Option<String>,
    /// The image's width as a fraction of the page's width (watermark 0.5, stamp 0.2).
    #[schema(minimum = 0.01, maximum = 1)]
    pub image_width: Option<f32>,
    /// The pages, as `pages` takes them (default all).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// `center` (watermark default), `top-right` (stamp default), `top-left`, `top`, `left`,
    /// `right`, `bottom-left`, `bottom`, `bottom-right`.
    pub position: Option<String>,
    /// Distance from the page's edges: `"10mm"`, `"0.5in"`, `"24pt"` or millimetres (default 10 mm).
    #[schema(value_type = Option<String>)]
    pub margin: Option<Value>,
    /// A font family this server has (`POST /api/v1/pdf/fonts`); others fill missing glyphs.
    pub font: Option<String>,
    /// Text size in points (watermark: sized to the page; stamp 16).
    #[schema(minimum = 1, maximum = 500)]
    pub size: Option<f32>,
    /// `#rrggbb`, `#rgb` or a colour name (watermark grey, stamp red).
    pub color: Option<String>,
    /// 0 (invisible) to 1 (watermark 0.3, stamp 1).
    #[schema(minimum = 0, maximum = 1)]
    pub opacity: Option<f32>,
    /// Degrees counter-clockwise (watermark 45, stamp 0).
    #[schema(minimum = -360, maximum = 360)]
    pub angle: Option<f32>,
    /// Bold text (stamp default true).
    pub bold: Option<bool>,
    /// `over` the page's content (default) or `under` it.
    pub layer: Option<String>,
}

file_request!(
    WatermarkRequest,
    MarkOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"text":"CONFIDENTIAL","opacity":0.2}),
    "Watermark: text or an image over the pages."
);

file_request!(
    StampRequest,
    MarkOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"text":"PAID 2026-12-04","position":"top-right"}),
    "Stamp: text or an image in a corner."
);

/// Options of `page-numbers`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NumberOptions {
    /// The text, with `{n}` (the page's number) and `{total}` (default `{n}`); `{page}` and
    /// `{pages}` work too: `Page {n} of {total}`.
    pub format: Option<String>,
    /// The number of the document's first page (default 1); `{total}` is the last page's number.
    #[schema(minimum = -1000000, maximum = 1000000)]
    pub start: Option<i64>,
    /// The pages that get a number (default all; `2-` skips a cover).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// `bottom-center` (default), `bottom-right`, `bottom-left`, `top-center`, `top-right`, `top-left`.
    pub position: Option<String>,
    /// Distance from the page's edges (default 10 mm).
    #[schema(value_type = Option<String>)]
    pub margin: Option<Value>,
    /// A font family this server has.
    pub font: Option<String>,
    /// Text size in points (default 10).
    #[schema(minimum = 1, maximum = 200)]
    pub size: Option<f32>,
    /// `#rrggbb`, `#rgb` or a colour name (default black).
    pub color: Option<String>,
}

file_request!(
    PageNumbersRequest,
    NumberOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"format":"Page {n} of {total}","position":"bottom-right"}),
    "Page numbers: a format, a start, the pages and where."
);

/// Options of `header-footer`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HeaderFooterOptions {
    /// Header text, centred; `{n}`, `{total}` and `{date}` (today, YYYY-MM-DD) are replaced.
    pub header: Option<String>,
    /// Header text at the left.
    pub header_left: Option<String>,
    /// Header text at the right.
    pub header_right: Option<String>,
    /// Footer text, centred.
    pub footer: Option<String>,
    /// Footer text at the left.
    pub footer_left: Option<String>,
    /// Footer text at the right.
    pub footer_right: Option<String>,
    /// The number of the first page (default 1).
    #[schema(minimum = -1000000, maximum = 1000000)]
    pub start: Option<i64>,
    /// The pages that get them (default all).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// Distance from the page's edges (default 10 mm).
    #[schema(value_type = Option<String>)]
    pub margin: Option<Value>,
    /// A font family this server has.
    pub font: Option<String>,
    /// Text size in points (default 9).
    #[schema(minimum = 1, maximum = 200)]
    pub size: Option<f32>,
    /// `#rrggbb`, `#rgb` or a colour name (default dark grey).
    pub color: Option<String>,
}

file_request!(
    HeaderFooterRequest,
    HeaderFooterOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"headerLeft":"ACME Corp — Quarterly report","footerRight":"Page {n} of {total}"}),
    "Headers and footers: left, centre and right texts."
);

/// Lay a watermark over pages: text in any script (rotated, translucent) or an image.
#[utoipa::path(post, path = "/api/v1/pdf/watermark", tag = "pdf",
    request_body(content = WatermarkRequest, description = "JSON with `data` or `url`; or multipart (`file`, an optional `image` file, and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF", content_type = "application/pdf")))]
pub async fn watermark(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    mark(st, req, false).await
}

/// Stamp pages: text (bold, red, in a corner by default) or an image such as a signature.
#[utoipa::path(post, path = "/api/v1/pdf/stamp", tag = "pdf",
    request_body(content = StampRequest, description = "JSON with `data` or `url`; or multipart (`file`, an optional `image` file, and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF", content_type = "application/pdf")))]
pub async fn stamp(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    mark(st, req, true).await
}

/// Number pages: `Page {n} of {total}`, from any start, on chosen pages, at any edge.
#[utoipa::path(post, path = "/api/v1/pdf/page-numbers", tag = "pdf",
    request_body(content = PageNumbersRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF", content_type = "application/pdf")))]
pub async fn page_numbers(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<NumberOptions>(&st, req).await?;
    let position = position(o.position.as_deref(), "bottom-center")?;
    let style = Style::checked(
        o.font,
        o.size.unwrap_or(10.0),
        o.color.as_deref(),
        "#000000",
    )?;
    let margin = margin_pt(o.margin)?;
    let format = o.format.unwrap_or_else(|| "{n}".into());
    let start = o.start.unwrap_or(1);
    let spec = o.pages.unwrap_or_else(|| "all".into());
    let make = move |n: i64, total: i64, _: f32, _: f32| {
        vec![style.item(&position, margin, fill(&format, n, total, ""))]
    };
    let plan = Plan {
        spec,
        start,
        image: None,
        under: false,
        filename: "numbered.pdf",
    };
    lay(st, rest(headers, input, password), plan, make).await
}

/// Add headers and footers: left, centre and right texts with page numbers and the date.
#[utoipa::path(post, path = "/api/v1/pdf/header-footer", tag = "pdf",
    request_body(content = HeaderFooterRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF", content_type = "application/pdf")))]
pub async fn header_footer(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<HeaderFooterOptions>(&st, req).await?;
    let style = Style::checked(o.font, o.size.unwrap_or(9.0), o.color.as_deref(), "#444444")?;
    let margin = margin_pt(o.margin)?;
    let texts: Vec<(&str, String)> = [
        ("top-left", o.header_left),
        ("top-center", o.header),
        ("top-right", o.header_right),
        ("bottom-left", o.footer_left),
        ("bottom-center", o.footer),
        ("bottom-right", o.footer_right),
    ]
    .into_iter()
    .filter_map(|(at, t)| t.filter(|t| !t.is_empty()).map(|t| (at, t)))
    .collect();
    if texts.is_empty() {
        return Err(ApiError::field(
            "header",
            "is missing: give at least one of header, headerLeft, headerRight, footer, footerLeft, footerRight",
        ));
    }
    let date = today();
    let spec = o.pages.unwrap_or_else(|| "all".into());
    let make = move |n: i64, total: i64, _: f32, _: f32| {
        texts
            .iter()
            .map(|(at, t)| style.item(at, margin, fill(t, n, total, &date)))
            .collect()
    };
    let plan = Plan {
        spec,
        start: o.start.unwrap_or(1),
        image: None,
        under: false,
        filename: "document.pdf",
    };
    lay(st, rest(headers, input, password), plan, make).await
}

async fn mark(st: St, req: Request, stamp: bool) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<MarkOptions>(&st, req).await?;
    let image = match o.image.as_deref() {
        None | Some("") => None,
        Some(b) => {
            let bytes = decode_base64(b, "image")?;
            if image::guess_format(&bytes).is_err() {
                return Err(PdfError::unsupported(
                    "image",
                    "is not an image: send PNG, JPEG, GIF or WebP",
                )
                .into());
            }
            Some(bytes)
        }
    };
    let text = o.text.filter(|t| !t.trim().is_empty());
    if text.is_none() && image.is_none() {
        return Err(ApiError::field(
            "text",
            "is missing: give the `text` to lay over the pages, or an `image`",
        ));
    }
    if text.is_some() && image.is_some() {
        return Err(ApiError::field("image", "give `text` or `image`, not both"));
    }
    let position = position(
        o.position.as_deref(),
        if stamp { "top-right" } else { "center" },
    )?;
    let color = o.color.as_deref();
    let style = Style::checked(
        o.font,
        o.size.unwrap_or(0.0),
        color,
        if stamp { "#c00000" } else { "#808080" },
    )?;
    let margin = margin_pt(o.margin)?;
    let opacity = o.opacity.unwrap_or(if stamp { 1.0 } else { 0.3 });
    if !(0.0..=1.0).contains(&opacity) {
        return Err(ApiError::field("opacity", "must be between 0 and 1"));
    }
    let angle = o.angle.unwrap_or(if stamp { 0.0 } else { 45.0 });
    if !(-360.0..=360.0).contains(&angle) {
        return Err(ApiError::field(
            "angle",
            "must be between -360 and 360 degrees",
        ));
    }
    let width = o.image_width.unwrap_or(if stamp { 0.2 } else { 0.5 });
    if !(0.01..=1.0).contains(&width) {
        return Err(ApiError::field(
            "imageWidth",
            "must be between 0.01 and 1 (a fraction of the page's width)",
        ));
    }
    let under = match o.layer.as_deref() {
        None | Some("over") => false,
        Some("under") => true,
        Some(_) => return Err(ApiError::field("layer", "must be `over` or `under`")),
    };
    let bold = o.bold.unwrap_or(stamp);
    let has_image = image.is_some();
    let text = text.unwrap_or_default();
    let size = o.size;
    let spec = o.pages.unwrap_or_else(|| "all".into());
    let sized = move |w: f32, h: f32| {
        let mut it = style.item(&position, margin, text.clone());
        it.opacity = opacity;
        it.angle = angle;
        it.bold = bold;
        it.image = has_image;
        it.width = w * width;
        if size.is_none() {
            // Sized so the text spans about the page's smaller side.
            let chars = text.chars().count().max(4) as f32;
            it.size = if stamp {
                16.0
            } else {
                (w.min(h) * 1.3 / chars).clamp(12.0, 200.0)
            };
        }
        vec![it]
    };
    let plan = Plan {
        spec,
        start: 1,
        image,
        under,
        filename: if stamp {
            "stamped.pdf"
        } else {
            "watermarked.pdf"
        },
    };
    lay(
        st,
        rest(headers, input, password),
        plan,
        move |_, _, w, h| sized(w, h),
    )
    .await
}

/// Text style shared by every piece of one request.
#[derive(Debug, Clone)]
struct Style {
    fonts: Vec<String>,
    size: f32,
    color: String,
}

impl Style {
    fn checked(
        font: Option<String>,
        size: f32,
        color: Option<&str>,
        default: &str,
    ) -> Result<Style, ApiError> {
        let fonts = crate::typeset::checked_font(font)?.into_iter().collect();
        if !(0.0..=500.0).contains(&size) {
            return Err(ApiError::field(
                "size",
                "must be between 1 and 500 (points)",
            ));
        }
        let color = match color {
            None => default.to_string(),
            Some(c) => colour(c).ok_or_else(|| {
                ApiError::field("color", "must be #rrggbb, #rgb or a colour name (black, white, red, green, blue, grey, orange)")
            })?,
        };
        Ok(Style { fonts, size, color })
    }

    fn item(&self, at: &str, margin: f32, text: String) -> Item {
        Item {
            at: at.to_string(),
            margin,
            text,
            image: false,
            width: 0.0,
            fonts: self.fonts.clone(),
            size: self.size,
            color: self.color.clone(),
            opacity: 1.0,
            angle: 0.0,
            bold: false,
        }
    }
}

/// `#rrggbb` for a colour as a client writes it.
fn colour(c: &str) -> Option<String> {
    let c = c.trim().to_ascii_lowercase();
    let named = match c.as_str() {
        "black" => Some("#000000"),
        "white" => Some("#ffffff"),
        "red" => Some("#d00000"),
        "green" => Some("#008000"),
        "blue" => Some("#0050c8"),
        "grey" | "gray" => Some("#808080"),
        "orange" => Some("#ff8c00"),
        _ => None,
    };
    if let Some(n) = named {
        return Some(n.into());
    }
    let hex = c.strip_prefix('#').unwrap_or(&c);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{hex}")),
        3 => Some(hex.chars().fold("#".to_string(), |mut s, ch| {
            s.push(ch);
            s.push(ch);
            s
        })),
        _ => None,
    }
}

fn position(p: Option<&str>, default: &str) -> Result<String, ApiError> {
    let p = p
        .map(|p| p.trim().to_ascii_lowercase().replace(['_', ' '], "-"))
        .unwrap_or_else(|| default.to_string());
    if POSITIONS.contains(&p.as_str()) {
        Ok(p)
    } else {
        Err(ApiError::field(
            "position",
            format!("must be one of {}", POSITIONS.join(", ")),
        ))
    }
}

/// A margin in points (default 10 mm).
fn margin_pt(m: Option<Value>) -> Result<f32, ApiError> {
    let Some(m) = m.filter(|m| !m.is_null()) else {
        return Ok(28.35);
    };
    crate::geometry::length_pt(&m).ok_or_else(|| {
        ApiError::field("margin", "must be a length such as \"10mm\", \"1cm\", \"0.5in\" or \"24pt\" (a bare number is millimetres), at most 10cm")
    })
}

/// The request's file, password and headers, its options taken.
fn rest(
    headers: axum::http::HeaderMap,
    input: flowforge_kit::binary::BinaryInput,
    password: Option<String>,
) -> One<()> {
    One {
        headers,
        input,
        options: (),
        password,
    }
}

fn today() -> String {
    let (y, m, d) = crate::typeset::today();
    format!("{y:04}-{m:02}-{d:02}")
}

/// How an overlay goes on: which pages, the first page's number, an image it shows, whether it
/// goes under the content, and the answer's file name.
struct Plan {
    spec: String,
    start: i64,
    image: Option<Vec<u8>>,
    under: bool,
    filename: &'static str,
}

/// Open the file, typeset one overlay page per chosen page (`make(n, total, width, height)`
/// says what goes on it), lay them on, answer the PDF.
async fn lay<F>(st: St, one: One<()>, plan: Plan, make: F) -> Result<Response, ApiError>
where
    F: Fn(i64, i64, f32, f32) -> Vec<Item> + Send + 'static,
{
    let One {
        headers,
        input,
        password,
        ..
    } = one;
    let Plan {
        spec,
        start,
        image,
        under,
        filename,
    } = plan;
    let form = input.response;
    let st2 = st.clone();
    let (doc, targets, sheets) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let doc = open(&st2, &input, password.as_deref())?;
            let pages = crate::document::page_ids(&doc, st2.config.limits.max_pages, input.field)?;
            let chosen = crate::select::parse(&spec, pages.len(), "pages")?;
            let total = start.saturating_add(pages.len() as i64).saturating_sub(1);
            let mut targets = Vec::with_capacity(chosen.len());
            let mut sheets = Vec::with_capacity(chosen.len());
            let mut seen = std::collections::HashSet::new();
            for n in chosen {
                let id = pages[n - 1];
                if !seen.insert(id) {
                    continue;
                }
                let g = overlay::geometry(&doc, id);
                let (w, h) = g.shown();
                let number = start.saturating_add(n as i64).saturating_sub(1);
                sheets.push(Sheet {
                    w,
                    h,
                    items: make(number, total, w, h),
                });
                targets.push((id, g));
            }
            Ok((doc, targets, sheets))
        })
        .await??;
    let mut files = Vec::new();
    let mut byte_inputs = Vec::new();
    let body = match image {
        Some(b) => {
            files.push(("stamp".to_string(), b.len()));
            byte_inputs.push("stamp".to_string());
            b
        }
        None => Vec::new(),
    };
    let job = Job {
        typeset: Some(Typeset {
            source: overlay::SOURCE.to_string(),
            data: json!({ "pages": sheets }),
            files,
            byte_inputs,
            untagged: true,
            ..Default::default()
        }),
        ..Job::new("typeset")
    };
    let (reply, pdf) = st.workers.run(&job, &body).await?;
    if let Some((_, message)) = reply.error {
        return Err(
            PdfError::internal("", format!("the overlay could not be typeset: {message}")).into(),
        );
    }
    let st2 = st.clone();
    let (bytes, pages) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = doc;
            let sheet = crate::document::open(&pdf, None, "overlay", &st2.config.limits)?;
            overlay::apply(&mut doc, &targets, sheet, under)?;
            let pages = targets.len();
            Ok((crate::document::save(&mut doc)?, pages))
        })
        .await??;
    let mut meta = Map::new();
    meta.insert("pagesChanged".into(), Value::from(pages));
    Ok(respond_pdf(&headers, form, bytes, filename, meta))
}
