//! HTTP handlers, one file per operation (`/api/v1/image/<op>` is `handlers/<op>.rs`), each
//! with its request type. Every operation takes the image in any of the four forms (raw body
//! with options in the query string, multipart with a `file` part, JSON with base64 `data`, JSON
//! with `url`) and answers the image bytes, or JSON with base64 when asked (see
//! `flowforge_kit::binary::wants_json`).

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::response::Response;
use flowforge_kit::binary::{BinaryInput, decode_base64, respond_binary};
use flowforge_kit::extract::from_value;
use flowforge_kit::{ApiError, CpuPool};
use image::DynamicImage;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::decode::{self, Limits};
use crate::encode::{self, OUTPUT_KEYS, Output};
use crate::ops::{self, Op};

/// Limits, the fetch policy and the CPU pool.
#[derive(Debug, Clone)]
pub struct ImageState {
    /// CPU pool: every decode, operation and encode runs there.
    pub cpu: CpuPool,
    /// The limits and the fetch policy.
    pub config: crate::config::Config,
}

/// The state as handlers receive it.
pub type St = Arc<ImageState>;

/// Split output options (and `autoOrient`) from the operation's own. `background` serves both
/// an operation that pads (`keep_background`) and the output's flattening.
pub(crate) fn split(
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

pub(crate) fn overlay_of(
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
pub(crate) type Encoded = (Vec<u8>, encode::OutFormat, (u32, u32));

/// Decode once, apply `steps`, encode once.
pub(crate) fn process(
    st: &ImageState,
    input: &BinaryInput,
    steps: &[Op],
    out: &Output,
    auto_orient: bool,
) -> Result<Encoded, ApiError> {
    let overlays: Vec<Option<DynamicImage>> = steps
        .iter()
        .map(|s| overlay_of(input, s, &st.config.limits))
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
        &st.config.limits,
        auto_orient,
        &shrink,
    )
    .map_err(|e| e.from_input(input.field))?;
    let mut img = d.image;
    for (i, (step, ov)) in steps.iter().zip(&overlays).enumerate() {
        img = ops::apply(img, step, &st.config.limits, ov.as_ref()).map_err(|e| {
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

pub(crate) async fn one(
    st: St,
    req: Request,
    build: fn(Map<String, Value>) -> Result<Op, ApiError>,
    pads: bool,
) -> Result<Response, ApiError> {
    let (headers, input) = read(&st, req).await?;
    let (out, auto, rest) = split(input.options.clone(), pads)?;
    let op = build(rest)?;
    run_and_respond(st, &headers, input, vec![op], out, auto).await
}

/// Run the steps on the CPU pool and answer the image (or base64 JSON on Accept).
pub(crate) async fn run_and_respond(
    st: St,
    headers: &HeaderMap,
    input: BinaryInput,
    steps: Vec<Op>,
    out: Output,
    auto: bool,
) -> Result<Response, ApiError> {
    let st2 = st.clone();
    let form = input.response;
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
        form,
        bytes,
        f.mime(),
        &format!("image.{}", f.name()),
        meta,
    ))
}

/// A 16 × 16 PNG, the image in every documented example request (so each example runs as it
/// stands; a real call sends its own image as base64 `data`, a `url`, a raw body or multipart).
pub const EXAMPLE_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABlklEQVR42hXRURVEIQhFUSMYgQhGMAIRiGCEE8EIRiACEYhABCLMG7/ZrMt1jMEcyGAN9kAHNjgDBnfwBj6IQQ5q0IMxJnMikzXZE53Y5EyY3Mmb+CQmOalJzw8IUxBhCVtQwYQjIFzhCS6EkEIJLR9YzIUs1mIvdGGLs2BxF2/hi1jkoha9PrCZG9mszd7oxjZnw+Zu3sY3sclNbXp/QJmKKEvZiiqmHAXlKk9xJZRUSmn9gDENMZaxDTXMOAbGNZ7hRhhplNH2gcM8yGEd9kEPdjgHDvfwDn6IQx7q0OcD/wK/Sr4jv9hfkG/1N/x/Fx44BCQU9Pc94zIvclmXfdGLXc79j9/Lu/glLnmpS98PPOZDHuuxH/qwx3n/5ffxHv6IRz7q0e8DznTEWc521DHn+D/KdZ7jTjjplNP+gWAGEqxgBxpYcOIf/AYv8CCCDCro+EAyE0lWshNNLDn5P/MmL/Ekkkwq6fxAMQspVrELLaw49S/lFq/wIoosquj6QDMbaVazG22sOf2v8Dav8SaabKrp5geIAnAQC3NfwAAAAABJRU5ErkJggg==";

/// The request's headers (for the answer's negotiation) and its image in any of the four forms.
pub(crate) async fn read(st: &St, req: Request) -> Result<(HeaderMap, BinaryInput), ApiError> {
    flowforge_kit::binary::read_request(req, st.config.max_body, &st.config.fetch).await
}

/// An operation's options from the request's option map, with errors naming the option.
pub(crate) fn options<T: serde::de::DeserializeOwned>(
    m: Map<String, Value>,
) -> Result<T, ApiError> {
    from_value(Value::Object(m))
}

/// Refuse any option: the operation (`flip`, `flop`) takes none.
pub(crate) fn no_options(op: &str, m: Map<String, Value>) -> Result<(), ApiError> {
    match m.keys().next() {
        Some(k) => Err(ApiError::field(
            k.clone(),
            format!("is not an option of {op} (it takes none)"),
        )),
        None => Ok(()),
    }
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

/// Flip, flop or convert: only the image and output options.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"data":crate::handlers::EXAMPLE_PNG,"format":"webp","quality":75}))]
pub struct PlainRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// Output options.
    #[serde(flatten)]
    pub output: Output,
}

pub mod adjust;
pub mod convert;
pub mod crop;
pub mod extend;
pub mod flip;
pub mod flop;
pub mod metadata;
pub mod pipeline;
pub mod placeholder;
pub mod resize;
pub mod rotate;
pub mod trim;
pub mod watermark;
