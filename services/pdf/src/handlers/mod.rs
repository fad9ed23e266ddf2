//! HTTP handlers, one file per URL area (`/api/v1/pdf/<area>` is `handlers/<area>.rs`), each
//! with its request and response types. Thin: read the files, call the domain, respond.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::response::Response;
use flowforge_kit::binary::{BinaryInput, ResponseForm, read_request, respond_binary};
use flowforge_kit::{ApiError, CpuPool};
use lopdf::Document;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::Config;

/// Limits and the CPU pool.
#[derive(Debug, Clone)]
pub struct PdfState {
    /// CPU pool: every PDF is read and written there.
    pub cpu: CpuPool,
    /// The limits.
    pub config: Config,
    /// PDFium worker processes (rendering).
    pub workers: Arc<crate::worker::Pool>,
    /// Chromium, for HTML and web pages (started on first need).
    pub browser: Arc<crate::browser::Chromium>,
}

/// The state as handlers receive it.
pub type St = Arc<PdfState>;

/// A one-page PDF ("Hello, PDF"), the file in every documented example request (so each example
/// runs as it stands; a real call sends its own file as base64 `data`, a `url`, a raw body or
/// multipart).
pub const EXAMPLE_PDF: &str = "JVBERi0xLjcKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyAvUGFnZXMgMiAwIFIgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL1R5cGUgL1BhZ2VzIC9LaWRzIFszIDAgUl0gL0NvdW50IDEgL01lZGlhQm94IFswIDAgMjAwIDEwMF0gPj4KZW5kb2JqCjMgMCBvYmoKPDwgL1R5cGUgL1BhZ2UgL1BhcmVudCAyIDAgUiAvUmVzb3VyY2VzIDw8IC9Gb250IDw8IC9GMSA0IDAgUiA+PiA+PiAvQ29udGVudHMgNSAwIFIgPj4KZW5kb2JqCjQgMCBvYmoKPDwgL1R5cGUgL0ZvbnQgL1N1YnR5cGUgL1R5cGUxIC9CYXNlRm9udCAvSGVsdmV0aWNhID4+CmVuZG9iago1IDAgb2JqCjw8IC9MZW5ndGggNDAgPj4Kc3RyZWFtCkJUIC9GMSAyNCBUZiAyMCA0MCBUZCAoSGVsbG8sIFBERikgVGogRVQKZW5kc3RyZWFtCmVuZG9iagp4cmVmCjAgNgowMDAwMDAwMDAwIDY1NTM1IGYgCjAwMDAwMDAwMDkgMDAwMDAgbiAKMDAwMDAwMDA1OCAwMDAwMCBuIAowMDAwMDAwMTM5IDAwMDAwIG4gCjAwMDAwMDAyNDEgMDAwMDAgbiAKMDAwMDAwMDMxMSAwMDAwMCBuIAp0cmFpbGVyCjw8IC9TaXplIDYgL1Jvb3QgMSAwIFIgPj4Kc3RhcnR4cmVmCjQwMQolJUVPRgo=";

/// The example PDF with a file attached (`invoice.xml`, `<invoice/>`, attached by qpdf), for
/// `attachments/extract`'s example.
pub const EXAMPLE_PDF_WITH_ATTACHMENT: &str = "JVBERi0xLjcKJb/3ov4KMSAwIG9iago8PCAvTmFtZXMgPDwgL0VtYmVkZGVkRmlsZXMgMiAwIFIgPj4gL1BhZ2VNb2RlIC9Vc2VBdHRhY2htZW50cyAvUGFnZXMgMyAwIFIgL1R5cGUgL0NhdGFsb2cgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL05hbWVzIFsgKGludm9pY2UueG1sKSA0IDAgUiBdID4+CmVuZG9iagozIDAgb2JqCjw8IC9Db3VudCAxIC9LaWRzIFsgNSAwIFIgXSAvTWVkaWFCb3ggWyAwIDAgMjAwIDEwMCBdIC9UeXBlIC9QYWdlcyA+PgplbmRvYmoKNCAwIG9iago8PCAvRUYgPDwgL0YgNiAwIFIgL1VGIDYgMCBSID4+IC9GIChpbnZvaWNlLnhtbCkgL1R5cGUgL0ZpbGVzcGVjIC9VRiAoaW52b2ljZS54bWwpID4+CmVuZG9iago1IDAgb2JqCjw8IC9Db250ZW50cyA3IDAgUiAvUGFyZW50IDMgMCBSIC9SZXNvdXJjZXMgPDwgL0ZvbnQgPDwgL0YxIDggMCBSID4+ID4+IC9UeXBlIC9QYWdlID4+CmVuZG9iago2IDAgb2JqCjw8IC9QYXJhbXMgPDwgL0NoZWNrU3VtIDxkZmFkMGU5N2MxY2ZhZGU4MTM0MWVlNTFmOTZhOTU1Zj4gL0NyZWF0aW9uRGF0ZSAoRDoyMDI2MTIwNDIxNTQzM1opIC9Nb2REYXRlIChEOjIwMjYxMjA0MjE1NDMzWikgL1NpemUgMTAgPj4gL1N1YnR5cGUgL3RleHQjMmZ4bWwgL1R5cGUgL0VtYmVkZGVkRmlsZSAvTGVuZ3RoIDE4IC9GaWx0ZXIgL0ZsYXRlRGVjb2RlID4+CnN0cmVhbQp4nLPJzCvLz0xO1bcDABS7A5dlbmRzdHJlYW0KZW5kb2JqCjcgMCBvYmoKPDwgL0xlbmd0aCA0OCAvRmlsdGVyIC9GbGF0ZURlY29kZSA+PgpzdHJlYW0KeJxzClHQdzNUMDJRCElTMDJQMDFQCElR0PBIzcnJ11EIcHHTVAjJUnANAQC88Am9ZW5kc3RyZWFtCmVuZG9iago4IDAgb2JqCjw8IC9CYXNlRm9udCAvSGVsdmV0aWNhIC9TdWJ0eXBlIC9UeXBlMSAvVHlwZSAvRm9udCA+PgplbmRvYmoKeHJlZgowIDkKMDAwMDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDE1IDAwMDAwIG4gCjAwMDAwMDAxMjQgMDAwMDAgbiAKMDAwMDAwMDE3NiAwMDAwMCBuIAowMDAwMDAwMjYxIDAwMDAwIG4gCjAwMDAwMDAzNjIgMDAwMDAgbiAKMDAwMDAwMDQ2NCAwMDAwMCBuIAowMDAwMDAwNzI0IDAwMDAwIG4gCjAwMDAwMDA4NDIgMDAwMDAgbiAKdHJhaWxlciA8PCAvUm9vdCAxIDAgUiAvU2l6ZSA5IC9JRCBbPGMzMDMwMzNlMTczYjIxOWNkNjkzZDU3NGM0ZWFhNGM5PjxjMzAzMDMzZTE3M2IyMTljZDY5M2Q1NzRjNGVhYTRjOT5dID4+CnN0YXJ0eHJlZgo5MTIKJSVFT0YK";

/// What an operation on one PDF reads: the request's headers (for the answer's negotiation),
/// the file, the operation's options, and the file's password (taken out of the options, as
/// every operation takes it).
pub(crate) struct One<T> {
    pub headers: HeaderMap,
    pub input: BinaryInput,
    pub options: T,
    pub password: Option<String>,
}

/// Read a one-file request in any of the four forms.
pub(crate) async fn one<T: DeserializeOwned>(st: &St, req: Request) -> Result<One<T>, ApiError> {
    let (headers, mut input) = read_request(req, st.config.max_body, &st.config.fetch).await?;
    let password = match input.options.remove("password") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s).filter(|s| !s.is_empty()),
        Some(_) => return Err(ApiError::field("password", "must be text")),
    };
    // Other files sent alongside (multipart parts besides `file`) are options like any other,
    // base64 as a JSON client sends them: an operation that takes none names the part.
    for (k, v) in std::mem::take(&mut input.extra) {
        input.options.entry(k).or_insert(v);
    }
    let options = input.options_as()?;
    Ok(One {
        headers,
        input,
        options,
        password,
    })
}

/// An operation that changes a PDF: read the request, open the file, run `f` on the CPU pool,
/// and answer the document it leaves (with `f`'s fields beside `data` in a JSON answer).
pub(crate) async fn edit<T, F>(
    st: St,
    req: Request,
    filename: &'static str,
    f: F,
) -> Result<Response, ApiError>
where
    T: DeserializeOwned + Send + 'static,
    F: FnOnce(&mut Document, T, &PdfState) -> Result<Map<String, Value>, ApiError> + Send + 'static,
{
    let One {
        headers,
        input,
        options,
        password,
    } = one::<T>(&st, req).await?;
    let form = input.response;
    let st2 = st.clone();
    let (bytes, meta) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = open(&st2, &input, password.as_deref())?;
            let meta = f(&mut doc, options, &st2)?;
            Ok((crate::document::save(&mut doc)?, meta))
        })
        .await??;
    Ok(respond_pdf(&headers, form, bytes, filename, meta))
}

/// An operation that reads a PDF: read the request, open the file, and answer `f`'s JSON.
pub(crate) async fn inspect<T, R, F>(st: St, req: Request, f: F) -> Result<Response, ApiError>
where
    T: DeserializeOwned + Send + 'static,
    R: Serialize + Send + 'static,
    F: FnOnce(&Document, T, &PdfState) -> Result<R, ApiError> + Send + 'static,
{
    let One {
        input,
        options,
        password,
        ..
    } = one::<T>(&st, req).await?;
    let st2 = st.clone();
    let answer = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let doc = open(&st2, &input, password.as_deref())?;
            f(&doc, options, &st2)
        })
        .await??;
    Ok(axum::Json(answer).into_response())
}

/// A page selection as text; a bare number (`?pages=3`, read from a query string or a form field
/// as a number, or sent as one) is that page.
pub(crate) fn selection<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(serde::de::Error::custom(
            "must be pages as text, like 1-3,7,10- (or one page number)",
        )),
    }
}

/// As [`selection`], for an optional field.
pub(crate) fn some_selection<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    selection(d).map(Some)
}

/// Options of an operation that takes none besides the file and its password.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// Open the request's file (its errors name the field it came in) with its password.
pub(crate) fn open(
    st: &PdfState,
    input: &BinaryInput,
    password: Option<&str>,
) -> Result<Document, ApiError> {
    Ok(crate::document::open(
        &input.bytes,
        password,
        input.field,
        &st.config.limits,
    )?)
}

/// A PDF answer: the file, or `{"data": base64, …meta}` when the client asks for JSON.
pub(crate) fn respond_pdf(
    headers: &HeaderMap,
    form: Option<ResponseForm>,
    bytes: Vec<u8>,
    filename: &str,
    meta: Map<String, Value>,
) -> Response {
    respond_binary(headers, form, bytes, "application/pdf", filename, meta)
}

/// The JSON form of a one-file operation, for the document: the file as `data` or `url`, the
/// operation's options, and `response`.
macro_rules! file_request {
    ($name:ident, $opts:ty, $example:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        #[schema(example = $example)]
        pub struct $name {
            /// The PDF, base64 (or give `url`; or send the file as multipart `file` or as the
            /// raw body with the options in the query string).
            pub data: Option<String>,
            /// An http(s) URL to fetch the PDF from.
            pub url: Option<String>,
            /// The operation's options.
            #[serde(flatten)]
            pub options: $opts,
            /// The file's password (user or owner), if it is encrypted.
            pub password: Option<String>,
            /// `file` (the default unless Accept asks for JSON only) or `json` (`{"data": base64}`).
            pub response: Option<String>,
        }
    };
}

pub mod attachments;
pub mod compress;
pub mod decrypt;
pub mod encrypt;
pub mod forms;
#[cfg(feature = "generate")]
pub mod generate;
pub mod info;
pub mod merge;
pub mod metadata;
pub mod nup;
#[cfg(feature = "generate")]
pub mod overlay;
pub mod pages;
pub mod render;
pub mod split;
pub mod text;
