//! HTTP handlers. Every operation takes the image in any of the four forms (raw body with
//! options in the query string, multipart with a `file` part, JSON with base64 `data`, JSON with
//! `url`) and answers the image bytes, or JSON with base64 when asked with
//! `Accept: application/json`.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use flowforge_kit::binary::{BinaryInput, FetchPolicy, decode_base64, read_binary, respond_binary};
use flowforge_kit::extract::from_value;
use flowforge_kit::{ApiError, CpuPool};
use image::DynamicImage;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::decode::{self, Limits};
use crate::encode::{self, OUTPUT_KEYS, Output};
use crate::meta;
use crate::ops::{self, Op};

/// Limits, the fetch policy and the CPU pool.
#[derive(Debug, Clone)]
pub struct ImageState {
    /// CPU pool: every decode, operation and encode runs there.
    pub cpu: CpuPool,
    /// `IMAGE_MAX_INPUT_MB` in bytes.
    pub max_body: usize,
    /// Pixel limits.
    pub limits: Limits,
    /// `IMAGE_MAX_OPERATIONS`: steps in one pipeline.
    pub max_operations: usize,
    /// Where `url` inputs may come from.
    pub fetch: FetchPolicy,
}

type St = Arc<ImageState>;

#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum Errors {
    /// A bad option (named in `details`), or a truncated or corrupt image.
    #[response(status = 400)]
    BadRequest(#[to_schema] flowforge_kit::ErrorBody),
    /// A `url` that points at a private, loopback or metadata address.
    #[response(status = 403)]
    Forbidden(flowforge_kit::ErrorBody),
    /// The upload is larger than `IMAGE_MAX_INPUT_MB`.
    #[response(status = 413)]
    TooLarge(flowforge_kit::ErrorBody),
    /// The body is not an image, or not the image type its Content-Type claims.
    #[response(status = 415)]
    Unsupported(flowforge_kit::ErrorBody),
    /// Too many pixels in or out (`IMAGE_MAX_PIXELS`, `IMAGE_MAX_OUTPUT_PIXELS`), or an operation that cannot apply.
    #[response(status = 422)]
    Unprocessable(flowforge_kit::ErrorBody),
}

/// Split output options (and `autoOrient`) from the operation's own. `background` serves both
/// an operation that pads (`keep_background`) and the output's flattening.
fn split(
    mut opts: Map<String, Value>,
    keep_background: bool,
) -> Result<(Output, bool, Map<String, Value>), ApiError> {
    let mut out = Map::new();
    for k in OUTPUT_KEYS {
        let v = if *k == "background" && keep_background {
            opts.get(*k).cloned()
        } else {
            opts.remove(*k)
        };
        if let Some(v) = v {
            out.insert((*k).to_string(), v);
        }
    }
    let auto = match opts.remove("autoOrient") {
        None => true,
        Some(Value::Bool(b)) => b,
        Some(other) => {
            return Err(ApiError::field(
                "autoOrient",
                format!("must be true or false; got {other}"),
            ));
        }
    };
    let output: Output = from_value(Value::Object(out))?;
    Ok((output, auto, opts))
}

fn overlay_of(
    input: &BinaryInput,
    op: &Op,
    lim: &Limits,
) -> Result<Option<DynamicImage>, ApiError> {
    let Op::Watermark(w) = op else {
        return Ok(None);
    };
    let b64 = match (&w.overlay, input.extra.get("overlay")) {
        (Some(s), _) => s.clone(),
        (None, Some(Value::String(s))) => s.clone(),
        _ => return Ok(None),
    };
    let bytes = decode_base64(&b64, "overlay")?;
    let d =
        decode::decode(&bytes, None, lim, true, &|_, _| None).map_err(|e| e.prefixed("overlay"))?;
    Ok(Some(d.image))
}

/// An encoded output, its format, and its width and height.
type Encoded = (Vec<u8>, encode::OutFormat, (u32, u32));

/// Decode once, apply `steps`, encode once.
fn process(
    st: &ImageState,
    input: &BinaryInput,
    steps: &[Op],
    out: &Output,
    auto_orient: bool,
) -> Result<Encoded, ApiError> {
    let overlays: Vec<Option<DynamicImage>> = steps
        .iter()
        .map(|s| overlay_of(input, s, &st.limits))
        .collect::<Result<_, _>>()?;
    let first_resize = match steps.first() {
        Some(Op::Resize(r)) => Some(r.clone()),
        _ => None,
    };
    let shrink = move |w: u32, h: u32| {
        first_resize
            .as_ref()
            .and_then(|r| ops::resize_target(r, w, h))
    };
    let d = decode::decode(
        &input.bytes,
        input.declared_type.as_deref(),
        &st.limits,
        auto_orient,
        &shrink,
    )?;
    let mut img = d.image;
    for (i, (step, ov)) in steps.iter().zip(&overlays).enumerate() {
        img = ops::apply(img, step, &st.limits, ov.as_ref()).map_err(|e| {
            if steps.len() > 1 {
                e.prefixed(&format!("operations[{i}]"))
            } else {
                e
            }
        })?;
    }
    let (bytes, f) = encode::encode(&img, d.format, out)?;
    Ok((bytes, f, (img.width(), img.height())))
}

async fn one(
    st: St,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
    build: fn(Map<String, Value>) -> Result<Op, ApiError>,
    pads: bool,
) -> Result<Response, ApiError> {
    let input = read_binary(&headers, uri.query(), body, st.max_body, &st.fetch).await?;
    let (out, auto, rest) = split(input.options.clone(), pads)?;
    let op = build(rest)?;
    run_and_respond(st, &headers, input, vec![op], out, auto).await
}

/// Run the steps on the CPU pool and answer the image (or base64 JSON on Accept).
async fn run_and_respond(
    st: St,
    headers: &HeaderMap,
    input: BinaryInput,
    steps: Vec<Op>,
    out: Output,
    auto: bool,
) -> Result<Response, ApiError> {
    let st2 = st.clone();
    let (bytes, f, (w, h)) = st
        .cpu
        .run(move || process(&st2, &input, &steps, &out, auto))
        .await??;
    let mut meta = Map::new();
    meta.insert("format".into(), Value::String(f.name().into()));
    meta.insert("width".into(), Value::from(w));
    meta.insert("height".into(), Value::from(h));
    Ok(respond_binary(
        headers,
        bytes,
        f.mime(),
        &format!("image.{}", f.name()),
        meta,
    ))
}

fn tagged(tag: &str, m: Map<String, Value>) -> Result<Op, ApiError> {
    if m.contains_key("op") {
        return Err(ApiError::field(
            "op",
            "is not an option here: the path names the operation",
        ));
    }
    op_from(tag, m)
}

/// One step from its tag and options, deserialized into the step's own options so that errors
/// name the field.
fn op_from(tag: &str, m: Map<String, Value>) -> Result<Op, ApiError> {
    let v = Value::Object(m);
    Ok(match tag {
        "resize" => Op::Resize(from_value(v)?),
        "crop" => Op::Crop(from_value(v)?),
        "extend" => Op::Extend(from_value(v)?),
        "trim" => Op::Trim(from_value(v)?),
        "rotate" => Op::Rotate(from_value(v)?),
        "adjust" => Op::Adjust(from_value(v)?),
        "watermark" => Op::Watermark(from_value(v)?),
        "flip" | "flop" => {
            if let Some(k) = v.as_object().and_then(|m| m.keys().next()) {
                return Err(ApiError::field(
                    k.clone(),
                    format!("is not an option of {tag} (it takes none)"),
                ));
            }
            if tag == "flip" { Op::Flip } else { Op::Flop }
        }
        other => {
            return Err(ApiError::field(
                "op",
                format!(
                    "must be one of: resize, crop, extend, trim, rotate, flip, flop, adjust, watermark; got {other:?}"
                ),
            ));
        }
    })
}

/// Documentation shape of an image request in JSON (the file as base64 `data` or a `url`); the
/// same options go in the query string with a raw body, or as multipart fields beside `file`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"url":"https://example.com/photo.jpg","width":800,"format":"webp","quality":80}))]
pub struct ResizeRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from (public addresses only, unless configured).
    pub url: Option<String>,
    /// Resize options.
    #[serde(flatten)]
    pub resize: ops::ResizeOpts,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
    /// Turn the image upright by its EXIF orientation first (default true).
    pub auto_orient: Option<bool>,
}

macro_rules! doc_request {
    ($name:ident, $opts:ty, $example:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Deserialize, ToSchema)]
        #[serde(rename_all = "camelCase")]
        #[schema(example = $example)]
        pub struct $name {
            /// The image, base64 (or give `url`).
            pub data: Option<String>,
            /// An http(s) URL to fetch the image from.
            pub url: Option<String>,
            /// The operation's options.
            #[serde(flatten)]
            pub options: $opts,
            /// Output options.
            #[serde(flatten)]
            pub output: Output,
        }
    };
}

doc_request!(
    CropRequest,
    ops::CropOpts,
    json!({"data":"<base64>","width":400,"height":400,"gravity":"attention"}),
    "Crop: a rectangle (`left`, `top`, `width`, `height`) or a size by gravity."
);
doc_request!(
    ExtendRequest,
    ops::ExtendOpts,
    json!({"data":"<base64>","top":10,"bottom":10,"left":20,"right":20,"background":"#ffffff"}),
    "Extend the canvas."
);
doc_request!(
    TrimRequest,
    ops::TrimOpts,
    json!({"data":"<base64>","threshold":10}),
    "Trim uniform borders."
);
doc_request!(
    RotateRequest,
    ops::RotateOpts,
    json!({"data":"<base64>","angle":90}),
    "Rotate clockwise."
);
doc_request!(
    AdjustRequest,
    ops::AdjustOpts,
    json!({"data":"<base64>","grayscale":true,"contrast":20,"sharpen":1}),
    "Colour and tone adjustments."
);
doc_request!(
    WatermarkRequest,
    ops::WatermarkOpts,
    json!({"data":"<base64>","text":"© ACME","gravity":"southeast","opacity":0.6}),
    "Overlay text or an image."
);

/// Flip, flop or convert: only the image and output options.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"data":"<base64>","format":"webp","quality":75}))]
pub struct PlainRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
}

/// Resize (cover, contain, fill, inside, outside; gravity or smart position; kernel).
#[utoipa::path(post, path = "/api/v1/image/resize", tag = "image",
    request_body(content = ResizeRequest, description = "The image as a raw body (options in the query string), multipart (`file` plus option fields), or JSON (`data` base64 or `url`, options beside)."),
    responses((status = 200, description = "The image (or JSON with base64 `data` on Accept: application/json)", content_type = "image/*"), Errors))]
pub async fn resize(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("resize", m), true).await
}

/// Crop a rectangle, or a size at a gravity, or a smart crop (entropy, attention).
#[utoipa::path(post, path = "/api/v1/image/crop", tag = "image", request_body(content = CropRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn crop(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("crop", m), false).await
}

/// Extend (pad) the canvas with a colour.
#[utoipa::path(post, path = "/api/v1/image/extend", tag = "image", request_body(content = ExtendRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn extend(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("extend", m), true).await
}

/// Trim borders the colour of the top-left pixel.
#[utoipa::path(post, path = "/api/v1/image/trim", tag = "image", request_body(content = TrimRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn trim(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("trim", m), false).await
}

/// Rotate: quarter turns without loss, any angle with a background.
#[utoipa::path(post, path = "/api/v1/image/rotate", tag = "image", request_body(content = RotateRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn rotate(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("rotate", m), true).await
}

/// Mirror top to bottom.
#[utoipa::path(post, path = "/api/v1/image/flip", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn flip(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("flip", m), false).await
}

/// Mirror left to right.
#[utoipa::path(post, path = "/api/v1/image/flop", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn flop(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("flop", m), false).await
}

/// Blur, sharpen, grayscale, brightness, contrast, saturation, hue, gamma, negate, normalize, threshold, tint.
#[utoipa::path(post, path = "/api/v1/image/adjust", tag = "image", request_body(content = AdjustRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn adjust(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("adjust", m), false).await
}

/// Overlay text (bundled font) or an image, at a gravity or tiled.
#[utoipa::path(post, path = "/api/v1/image/watermark", tag = "image", request_body(content = WatermarkRequest, description = "As resize; the overlay image as base64 `overlay`, or the multipart part `overlay`."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn watermark(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    one(st, headers, uri, body, |m| tagged("watermark", m), false).await
}

/// Convert between formats (JPEG, PNG, WebP, GIF, TIFF, BMP, ICO) with their options; metadata is stripped.
#[utoipa::path(post, path = "/api/v1/image/convert", tag = "image", request_body(content = PlainRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn convert(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let input = read_binary(&headers, uri.query(), body, st.max_body, &st.fetch).await?;
    let (out, auto, rest) = split(input.options.clone(), false)?;
    if let Some(k) = rest.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            format!(
                "is not an option of convert; the accepted ones are {}, autoOrient",
                OUTPUT_KEYS.join(", ")
            ),
        ));
    }
    run_and_respond(st, &headers, input, Vec::new(), out, auto).await
}

/// A pipeline: the image, and operations applied in order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"url":"https://example.com/photo.jpg","operations":[{"op":"resize","width":1200},{"op":"adjust","sharpen":1},{"op":"watermark","text":"© ACME"}],"format":"webp","quality":80}))]
pub struct PipelineRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// The steps, each `{"op": "resize" | "crop" | "extend" | "trim" | "rotate" | "flip" | "flop" | "adjust" | "watermark", …its options}`.
    pub operations: Vec<Op>,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
}

/// Several operations in one call: decoded once, encoded once (as imaginary's /pipeline).
#[utoipa::path(post, path = "/api/v1/image/pipeline", tag = "image", request_body(content = PipelineRequest, description = "JSON; or raw/multipart with `operations` as a JSON text field or query parameter."),
    responses((status = 200, description = "The image", content_type = "image/*"), Errors))]
pub async fn pipeline(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let input = read_binary(&headers, uri.query(), body, st.max_body, &st.fetch).await?;
    let (out, auto, mut rest) = split(input.options.clone(), false)?;
    let ops_v = rest
        .remove("operations")
        .ok_or_else(|| ApiError::field("operations", "is required: a list of steps"))?;
    if let Some(k) = rest.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            "is not a pipeline option (operations, output options, autoOrient)",
        ));
    }
    let ops_v = match ops_v {
        Value::String(s) => serde_json::from_str(&s)
            .map_err(|e| ApiError::field("operations", format!("is not a JSON list: {e}")))?,
        v => v,
    };
    let Value::Array(list) = ops_v else {
        return Err(ApiError::field("operations", "must be a list of steps"));
    };
    let mut steps = Vec::with_capacity(list.len());
    for (i, step) in list.into_iter().enumerate() {
        let at = format!("operations[{i}]");
        let Value::Object(mut m) = step else {
            return Err(ApiError::field(at, "must be an object with `op`"));
        };
        let tag = match m.remove("op") {
            Some(Value::String(t)) => t,
            _ => {
                return Err(ApiError::field(
                    format!("{at}.op"),
                    "is required: the step's name",
                ));
            }
        };
        steps.push(op_from(&tag, m).map_err(|e| e.prefixed(&at))?);
    }
    if steps.is_empty() || steps.len() > st.max_operations {
        return Err(ApiError::field(
            "operations",
            format!(
                "must hold 1 to {} steps (IMAGE_MAX_OPERATIONS); got {}",
                st.max_operations,
                steps.len()
            ),
        ));
    }
    run_and_respond(st, &headers, input, steps, out, auto).await
}

/// Metadata of an image.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"url":"https://example.com/photo.jpg"}))]
pub struct MetadataRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
}

/// Format, size, channels, bit depth, alpha, orientation, colour space, EXIF (GPS as decimal degrees), file size, dominant colour.
#[utoipa::path(post, path = "/api/v1/image/metadata", tag = "image", request_body(content = MetadataRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The metadata", body = Object,
        example = json!({"format":"jpeg","width":4000,"height":3000,"uprightWidth":4000,"uprightHeight":3000,"orientation":1,"channels":3,"bitDepth":8,"hasAlpha":false,"colorSpace":"srgb","size":2483120,"dominantColor":"#6b8fb4","progressive":false,"exif":{"Make":"\"Canon\"","gps":{"latitude":48.8584,"longitude":2.2945}}})), Errors))]
pub async fn metadata(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let input = read_binary(&headers, uri.query(), body, st.max_body, &st.fetch).await?;
    if let Some(k) = input.options.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            "is not an option of metadata (it takes none)",
        ));
    }
    let lim = st.limits;
    let v = st
        .cpu
        .run(move || meta::metadata(&input.bytes, input.declared_type.as_deref(), &lim))
        .await??;
    Ok(axum::Json(v).into_response())
}

/// Placeholder options.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"url":"https://example.com/photo.jpg","componentsX":4,"componentsY":3}))]
pub struct PlaceholderRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// BlurHash components across (1 to 9, default 4).
    pub components_x: Option<u32>,
    /// BlurHash components down (1 to 9, default 3).
    pub components_y: Option<u32>,
    /// Longest side of the preview PNG (1 to 64, default 16).
    pub preview_size: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PlaceholderOpts {
    components_x: Option<u32>,
    components_y: Option<u32>,
    preview_size: Option<u32>,
}

/// BlurHash and ThumbHash strings, and a tiny base64 PNG preview.
#[utoipa::path(post, path = "/api/v1/image/placeholder", tag = "image", request_body(content = PlaceholderRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The placeholders", body = Object,
        example = json!({"blurhash":"LEHV6nWB2yk8pyo0adR*.7kCMdnj","thumbhash":"1QcSHQRnh493V4dIh4eXh1h4kJUI","preview":"data:image/png;base64,iVBORw0KGgo…","width":4000,"height":3000})), Errors))]
pub async fn placeholder(
    State(st): State<St>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let input = read_binary(&headers, uri.query(), body, st.max_body, &st.fetch).await?;
    let o: PlaceholderOpts = from_value(Value::Object(input.options.clone()))?;
    let lim = st.limits;
    let v = st
        .cpu
        .run(move || {
            let d = decode::decode(
                &input.bytes,
                input.declared_type.as_deref(),
                &lim,
                true,
                &|_, _| Some((100, 100)),
            )?;
            meta::placeholders(
                &d.image,
                o.components_x.unwrap_or(4),
                o.components_y.unwrap_or(3),
                o.preview_size.unwrap_or(16),
            )
        })
        .await??;
    Ok(axum::Json(v).into_response())
}

#[derive(OpenApi)]
#[openapi(tags((name = "image", description = "Resize, crop, rotate, adjust, watermark, convert, metadata, pipelines, placeholders")))]
struct ImageApi;

/// The routes and their OpenAPI document.
pub fn router(state: ImageState) -> (Router, utoipa::openapi::OpenApi) {
    let (r, doc) = OpenApiRouter::<St>::with_openapi(ImageApi::openapi())
        .routes(routes!(resize))
        .routes(routes!(crop))
        .routes(routes!(extend))
        .routes(routes!(trim))
        .routes(routes!(rotate))
        .routes(routes!(flip))
        .routes(routes!(flop))
        .routes(routes!(adjust))
        .routes(routes!(watermark))
        .routes(routes!(convert))
        .routes(routes!(pipeline))
        .routes(routes!(metadata))
        .routes(routes!(placeholder))
        .split_for_parts();
    (r.with_state(Arc::new(state)), doc)
}
