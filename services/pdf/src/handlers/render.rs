//! `POST /api/v1/pdf/render` and `/render/thumbnail`.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use flowforge_kit::ApiError;
use flowforge_kit::binary::{BinaryInput, respond_binary, wants_json};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::{One, St, one, open};
use crate::error::PdfError;
use crate::worker::{Job, Reply};

flowforge_kit::wire_enum! {
    /// An image format for rendered pages.
    pub enum ImageKind {
        /// PNG (lossless; default).
        Png = "png",
        /// JPEG (`quality`).
        Jpeg = "jpeg" | "jpg",
        /// WebP (lossless).
        Webp = "webp",
    }
}

impl ImageKind {
    fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// Options of `render`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RenderOptions {
    /// The pages, as `pages` takes them (`1-3,7`, `all`; default `1`).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// `png` (default), `jpeg` or `webp`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(png|jpeg|jpg|webp)$")]
    pub format: Option<ImageKind>,
    /// Dots per inch (default 150); or give `width`.
    #[serde(default)]
    #[schema(minimum = 18, maximum = 1200)]
    pub dpi: Option<f32>,
    /// The image's width in pixels (the height follows the page); instead of `dpi`.
    #[serde(default)]
    #[schema(minimum = 16, maximum = 20000)]
    pub width: Option<u32>,
    /// JPEG quality, 1 to 100 (default 85).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100)]
    pub quality: Option<u8>,
}

file_request!(
    RenderRequest,
    RenderOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"pages":"1","format":"png","dpi":72}),
    "A PDF and the pages to draw."
);

/// Render pages to PNG, JPEG or WebP at a DPI or a width: one page answers the image, several a
/// ZIP of `page-1.png`, … (or JSON with each image as base64, on request).
#[utoipa::path(post, path = "/api/v1/pdf/render", tag = "pdf",
    request_body(content = RenderRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The image (one page) or a ZIP of them",
        content(("image/png"), ("image/jpeg"), ("image/webp"), ("application/zip"))),
        (status = 503, description = "PDFium is not installed and could not be fetched (`flowforge models fetch`)")))]
pub async fn render(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let one = one::<RenderOptions>(&st, req).await?;
    run(st, one, false).await
}

/// Options of `render/thumbnail`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThumbnailOptions {
    /// The thumbnail's width in pixels (default 256).
    #[serde(default)]
    #[schema(minimum = 16, maximum = 2000)]
    pub width: Option<u32>,
    /// `png` (default), `jpeg` or `webp`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(png|jpeg|jpg|webp)$")]
    pub format: Option<ImageKind>,
}

file_request!(
    ThumbnailRequest,
    ThumbnailOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"width":128}),
    "A PDF to show small."
);

/// The first page, small: a thumbnail for a file list or a chat message.
#[utoipa::path(post, path = "/api/v1/pdf/render/thumbnail", tag = "pdf",
    request_body(content = ThumbnailRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The image", content(("image/png"), ("image/jpeg"), ("image/webp"))),
        (status = 503, description = "PDFium is not installed and could not be fetched (`flowforge models fetch`)")))]
pub async fn render_thumbnail(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options,
        password,
    } = one::<ThumbnailOptions>(&st, req).await?;
    let o = RenderOptions {
        pages: Some("1".into()),
        format: options.format,
        dpi: None,
        width: Some(options.width.unwrap_or(256)),
        quality: None,
    };
    let one = One {
        headers,
        input,
        options: o,
        password,
    };
    run(st, one, true).await
}

/// Run `job` in a PDFium worker on the pages `spec` selects. lopdf reads the file first: the
/// page count for the selection, the password, and every hostile-file check, before PDFium sees
/// it. A worker's refusal becomes the error naming its field.
/// Fewest pages a worker is given when pages are shared out.
const PAGES_PER_SHARE: usize = 4;

pub(crate) async fn in_worker(
    st: &St,
    input: BinaryInput,
    password: Option<String>,
    spec: &str,
    mut job: Job,
) -> Result<(BinaryInput, Reply, Vec<u8>), ApiError> {
    let st2 = st.clone();
    let pw = password.clone();
    let spec = spec.to_string();
    let (input, pages) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let doc = open(&st2, &input, pw.as_deref())?;
            let ids = crate::document::page_ids(&doc, st2.config.limits.max_pages, input.field)?;
            let chosen = crate::select::parse(&spec, ids.len(), "pages")?;
            Ok((input, chosen))
        })
        .await??;
    job.password = password;
    let pages: Vec<u32> = pages.iter().map(|&n| (n - 1) as u32).collect();
    // Many pages are shared out among the workers, in order: each renders or reads its run of
    // pages and the answers are put back together.
    let parts = st.workers.size().min(pages.len() / PAGES_PER_SHARE).max(1);
    let (reply, body) = if parts == 1 {
        job.pages = pages;
        st.workers.run(&job, &input.bytes).await?
    } else {
        let per = pages.len().div_ceil(parts);
        let runs = pages.chunks(per).map(|run| {
            let job = Job {
                pages: run.to_vec(),
                ..job.clone()
            };
            let (workers, bytes) = (st.workers.clone(), input.bytes.clone());
            async move { workers.run(&job, &bytes).await }
        });
        let mut all = futures_util::future::try_join_all(runs).await?.into_iter();
        let (mut reply, mut body) = all
            .next()
            .ok_or_else(|| ApiError::internal("no share of pages came back"))?;
        for (r, b) in all {
            if reply.error.is_none() {
                reply.error = r.error;
            }
            reply.items.extend(r.items);
            body.extend_from_slice(&b);
        }
        (reply, body)
    };
    if let Some((kind, message)) = reply.error {
        let field = match kind.as_str() {
            "password" => "password",
            "pages" => "pages",
            _ => input.field,
        };
        return Err(PdfError::invalid(field, message).into());
    }
    Ok((input, reply, body))
}

/// Render the selected pages (page 1 by default); `single` answers one image even if asked for
/// more.
async fn run(st: St, one: One<RenderOptions>, single: bool) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one;
    let kind = o.format.unwrap_or(ImageKind::Png);
    let spec = o.pages.clone().unwrap_or_else(|| "1".to_string());
    let job = Job {
        dpi: o.dpi,
        width: o.width,
        format: kind.name().into(),
        quality: o.quality.unwrap_or(85),
        max_pixels: st.config.render_max_pixels,
        ..Job::new("render")
    };
    let (input, reply, body) = in_worker(&st, input, password, &spec, job).await?;
    let mut parts = Vec::with_capacity(reply.items.len());
    let mut at = 0;
    for item in &reply.items {
        let end = at + item.len;
        let bytes = body
            .get(at..end)
            .ok_or_else(|| ApiError::internal("a worker's reply is shorter than it says"))?;
        parts.push((item, bytes.to_vec()));
        at = end;
    }
    if parts.len() == 1 || single {
        let Some((item, bytes)) = parts.into_iter().next() else {
            return Err(ApiError::internal("a worker rendered nothing"));
        };
        let meta = Map::from_iter([
            ("page".to_string(), Value::from(item.page + 1)),
            ("width".to_string(), Value::from(item.width)),
            ("height".to_string(), Value::from(item.height)),
        ]);
        let name = format!("page-{}.{}", item.page + 1, kind.name());
        return Ok(respond_binary(
            &headers,
            input.response,
            bytes,
            kind.mime(),
            &name,
            meta,
        ));
    }
    if wants_json(&headers, input.response, "application/zip") {
        let pages: Vec<Value> = parts
            .iter()
            .map(|(item, bytes)| {
                json!({
                    "page": item.page + 1,
                    "width": item.width,
                    "height": item.height,
                    "contentType": kind.mime(),
                    "data": base64::engine::general_purpose::STANDARD.encode(bytes),
                })
            })
            .collect();
        return Ok(axum::Json(json!({ "pages": pages })).into_response());
    }
    let names: Vec<(String, Vec<u8>)> = parts
        .into_iter()
        .map(|(item, bytes)| (format!("page-{}.{}", item.page + 1, kind.name()), bytes))
        .collect();
    let zip = st
        .cpu
        .run(move || crate::split::zip_named(&names))
        .await??;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"pages.zip\""),
            ),
        ],
        zip,
    )
        .into_response())
}
