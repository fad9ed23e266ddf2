//! `POST /api/v1/pdf/compress`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde_json::{Map, Value};

use super::{One, St, one, open, respond_pdf};

/// Options of `compress`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CompressOptions {
    /// `lossless` (default: nothing that shows changes), `medium` (images drawn above 150 DPI
    /// scaled down to it, JPEG quality 75) or `strong` (100 DPI, quality 60).
    #[schema(value_type = Option<String>, pattern = "^(lossless|medium|strong)$")]
    pub level: Option<String>,
    /// Scale images drawn above this many dots per inch down to it (overrides `level`'s).
    #[schema(minimum = 36, maximum = 1200)]
    pub image_dpi: Option<u32>,
    /// JPEG quality of scaled images, 1 to 100 (overrides `level`'s).
    #[schema(minimum = 1, maximum = 100)]
    pub image_quality: Option<u8>,
}

file_request!(
    CompressRequest,
    CompressOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"level":"medium"}),
    "A PDF to make smaller."
);

/// Make a PDF smaller: unused objects dropped, duplicate streams merged, streams recompressed,
/// objects packed into object streams; with `level` `medium` or `strong` (or `imageDpi`),
/// images drawn at a higher resolution than needed are scaled down and stored as JPEG. The
/// sizes before and after come in `X-Original-Size` and `X-Compressed-Size` (and in the JSON
/// answer, with `imagesDownsampled`).
#[utoipa::path(post, path = "/api/v1/pdf/compress", tag = "pdf",
    request_body(content = CompressRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The smaller PDF", content_type = "application/pdf",
        headers(("X-Original-Size" = u64, description = "Bytes before"), ("X-Compressed-Size" = u64, description = "Bytes after")))))]
pub async fn compress(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<CompressOptions>(&st, req).await?;
    let (dpi, quality) = match o.level.as_deref() {
        None | Some("lossless") => (None, 75),
        Some("medium") => (Some(150), 75),
        Some("strong") => (Some(100), 60),
        Some(_) => {
            return Err(ApiError::field(
                "level",
                "must be `lossless`, `medium` or `strong`",
            ));
        }
    };
    let dpi = o.image_dpi.or(dpi);
    if let Some(d) = dpi
        && !(36..=1200).contains(&d)
    {
        return Err(ApiError::field("imageDpi", "must be between 36 and 1200"));
    }
    let quality = o.image_quality.unwrap_or(quality);
    if !(1..=100).contains(&quality) {
        return Err(ApiError::field("imageQuality", "must be between 1 and 100"));
    }
    let target = dpi.map(|d| crate::images::Target {
        dpi: d as f32,
        quality,
    });
    let form = input.response;
    let before = input.bytes.len();
    let st2 = st.clone();
    let (bytes, downsampled) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = open(&st2, &input, password.as_deref())?;
            Ok(crate::compress::compress(
                &mut doc,
                st2.config.limits.max_stream,
                target,
            )?)
        })
        .await??;
    let after = bytes.len();
    let meta = Map::from_iter([
        ("originalSize".to_string(), Value::from(before)),
        ("imagesDownsampled".to_string(), Value::from(downsampled)),
    ]);
    let mut res = respond_pdf(&headers, form, bytes, "compressed.pdf", meta);
    let h = res.headers_mut();
    h.insert("x-original-size", before.into());
    h.insert("x-compressed-size", after.into());
    Ok(res)
}
