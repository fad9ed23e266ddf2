//! `POST /api/v1/pdf/merge`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use flowforge_kit::binary::read_files;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, respond_pdf};
use crate::merge::{Part, title_of};

/// Options of `merge`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MergeOptions {
    /// Add a bookmark per file (titled by its file name) over its own bookmarks (default false).
    #[serde(default)]
    pub bookmark_each_file: bool,
    /// Passwords of encrypted files, in file order (`null` or `""` for a file without one).
    #[serde(default)]
    pub passwords: Option<Vec<Option<String>>>,
}

/// One file to merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// The PDF, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch it from.
    pub url: Option<String>,
    /// Its name (for its bookmark with `bookmarkEachFile`).
    pub name: Option<String>,
}

/// The JSON form of `merge`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"files":[{"data":crate::handlers::EXAMPLE_PDF,"name":"invoice.pdf"},{"data":crate::handlers::EXAMPLE_PDF,"name":"terms.pdf"}],"bookmarkEachFile":true}))]
pub struct MergeRequest {
    /// The PDFs, in order (or send them as the repeated multipart field `files`).
    #[schema(min_items = 1)]
    pub files: Vec<FileRef>,
    /// The options.
    #[serde(flatten)]
    pub options: MergeOptions,
    /// `file` (the default unless Accept asks for JSON only) or `json` (`{"data": base64}`).
    pub response: Option<String>,
}

/// Merge PDFs in order, keeping each file's bookmarks (and, on request, one bookmark per file).
#[utoipa::path(post, path = "/api/v1/pdf/merge", tag = "pdf",
    request_body(content = MergeRequest, description = "JSON with `files`; or multipart with the files in the repeated field `files` (n8n: several binary properties) and the options as fields."),
    responses((status = 200, description = "The merged PDF", content_type = "application/pdf"),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (PDF_FETCH_ALLOW_PRIVATE)")))]
pub async fn merge(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let input = read_files(
        &parts.headers,
        parts.uri.query(),
        body,
        st.config.max_body,
        &st.config.fetch,
        st.config.max_files,
    )
    .await?;
    let o: MergeOptions = flowforge_kit::extract::from_value(Value::Object(input.options))?;
    let passwords = o.passwords.unwrap_or_default();
    if passwords.len() > input.files.len() {
        return Err(ApiError::field(
            "passwords",
            format!(
                "has {} entries for {} files; give one per file, in order",
                passwords.len(),
                input.files.len()
            ),
        ));
    }
    let st2 = st.clone();
    let files = input.files;
    let (bytes, pages) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let lim = &st2.config.limits;
            let mut docs = Vec::with_capacity(files.len());
            for (i, f) in files.iter().enumerate() {
                let pw = passwords
                    .get(i)
                    .cloned()
                    .flatten()
                    .filter(|p| !p.is_empty());
                let doc = crate::document::open(&f.bytes, pw.as_deref(), &f.field, lim)?;
                docs.push(Part {
                    doc,
                    title: title_of(f.name.as_deref(), i + 1),
                });
            }
            let mut out = crate::merge::merge(docs, o.bookmark_each_file, lim)?;
            let pages = crate::document::page_ids(&out, usize::MAX, "files")?.len();
            Ok((crate::document::save(&mut out)?, pages))
        })
        .await??;
    let mut meta = Map::new();
    meta.insert("pages".into(), Value::from(pages));
    Ok(respond_pdf(
        &parts.headers,
        input.response,
        bytes,
        "merged.pdf",
        meta,
    ))
}
