//! `POST /api/v1/pdf/compress`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde_json::{Map, Value};

use super::{One, St, one, open, respond_pdf};

file_request!(
    CompressRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF to make smaller."
);

/// Make a PDF smaller without changing what it shows: unused objects dropped, duplicate streams
/// merged, streams recompressed, objects packed into object streams. The sizes before and after
/// come in `X-Original-Size` and `X-Compressed-Size` (and in the JSON answer).
#[utoipa::path(post, path = "/api/v1/pdf/compress", tag = "pdf",
    request_body(content = CompressRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The smaller PDF", content_type = "application/pdf",
        headers(("X-Original-Size" = u64, description = "Bytes before"), ("X-Compressed-Size" = u64, description = "Bytes after")))))]
pub async fn compress(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        password,
        ..
    } = one::<super::NoOptions>(&st, req).await?;
    let form = input.response;
    let before = input.bytes.len();
    let st2 = st.clone();
    let bytes = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = open(&st2, &input, password.as_deref())?;
            Ok(crate::compress::compress(
                &mut doc,
                st2.config.limits.max_stream,
            )?)
        })
        .await??;
    let after = bytes.len();
    let meta = Map::from_iter([("originalSize".to_string(), Value::from(before))]);
    let mut res = respond_pdf(&headers, form, bytes, "compressed.pdf", meta);
    let h = res.headers_mut();
    h.insert("x-original-size", before.into());
    h.insert("x-compressed-size", after.into());
    Ok(res)
}
