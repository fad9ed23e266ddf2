//! `POST /api/v1/pdf/forms`, `/forms/fill` and `/forms/flatten`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use flowforge_kit::binary::respond_binary;

use super::{One, St, edit, inspect, one, open};
use crate::forms::{self, FieldInfo};
use crate::merge::Part;

file_request!(
    FormsRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF whose form fields to list."
);

/// The form's fields.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"fields":[{"name":"customer.name","type":"text","value":null},{"name":"agree","type":"checkbox","value":"Off","options":["Yes"]}]}))]
pub struct FormsResponse {
    /// Each field: qualified name, type, value, and the values a checkbox, radio group or
    /// choice takes.
    pub fields: Vec<FieldInfo>,
}

/// List a PDF form's fields: qualified names, types, values, options.
#[utoipa::path(post, path = "/api/v1/pdf/forms", tag = "pdf",
    request_body(content = FormsRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The fields", body = FormsResponse)))]
pub async fn forms(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    inspect(st, req, |doc, _: super::NoOptions, _| {
        Ok(FormsResponse {
            fields: forms::list(doc),
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// How a bulk fill answers.
    pub enum BulkOutput {
        /// A ZIP of one filled PDF per item (`filled-1.pdf`, …).
        Zip = "zip",
        /// One PDF: every filled copy, flattened, one after another.
        Merged = "merged" | "pdf",
    }
}

/// Options of `forms/fill`: `values` for one copy, or `items` for one copy each.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FillOptions {
    /// Values by qualified field name: text for text and choice fields, `true`/`false` (or the
    /// on-value) for a checkbox, the chosen value for a radio group.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub values: Option<Map<String, Value>>,
    /// Bulk fill: one values object per copy (a sheet's rows), at most PDF_MAX_FILES.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub items: Option<Vec<Map<String, Value>>>,
    /// Bulk fill: `zip` (default, one PDF per item) or `merged` (one PDF, each copy flattened).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(zip|merged|pdf)$")]
    pub output: Option<BulkOutput>,
    /// Draw the values into the pages and remove the form (default false; always for `merged`).
    #[serde(default)]
    pub flatten: bool,
}

file_request!(
    FormsFillRequest,
    FillOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"values":{},"flatten":true}),
    "A PDF form and its values (or `items`, one values object per copy)."
);

/// The values object of a request (or of its item `at`) as field values.
fn values_of(m: Map<String, Value>, at: &str) -> Result<Vec<(String, forms::Value)>, ApiError> {
    let mut values = Vec::with_capacity(m.len());
    for (k, v) in m {
        let v = match v {
            Value::Bool(b) => forms::Value::Flag(b),
            Value::String(s) => forms::Value::Text(s),
            Value::Number(n) => forms::Value::Text(n.to_string()),
            Value::Null => forms::Value::Text(String::new()),
            _ => {
                return Err(ApiError::field(
                    format!("{at}.{k}"),
                    "must be text, a number or true/false",
                ));
            }
        };
        values.push((k, v));
    }
    Ok(values)
}

/// Fill a PDF form (appearances written, so the values show in every viewer), optionally
/// flattened; with `items`, one copy per item, as a ZIP or one merged PDF.
#[utoipa::path(post, path = "/api/v1/pdf/forms/fill", tag = "pdf",
    request_body(content = FormsFillRequest, description = "JSON with `data` or `url` and `values` (or `items`); or multipart (`file`, and `values` as a JSON object in a field)."),
    responses((status = 200, description = "The filled PDF (or, for `items`, a ZIP of them or one merged PDF)",
        content(("application/pdf"), ("application/zip")))))]
pub async fn forms_fill(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<FillOptions>(&st, req).await?;
    let (one_copy, items) = match (o.values, o.items) {
        (Some(v), None) => (Some(values_of(v, "values")?), None),
        (None, Some(items)) => {
            if items.is_empty() || items.len() > st.config.max_files {
                return Err(ApiError::field(
                    "items",
                    format!(
                        "must hold 1 to {} values objects (PDF_MAX_FILES)",
                        st.config.max_files
                    ),
                ));
            }
            let all = items
                .into_iter()
                .enumerate()
                .map(|(i, m)| values_of(m, &format!("items[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            (None, Some(all))
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "items",
                "give `values` or `items`, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::field(
                "values",
                "is required: the field values by name (or `items`, one values object per copy)",
            ));
        }
    };
    let (flatten_each, output) = (o.flatten, o.output.unwrap_or(BulkOutput::Zip));
    let form = input.response;
    // Text beyond Latin-1 is typeset by Typst first, once per distinct text, and drawn from there.
    let mut texts: Vec<String> = one_copy
        .iter()
        .chain(items.iter().flatten())
        .flatten()
        .filter_map(|(_, v)| match v {
            forms::Value::Text(t) if forms::needs_font(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    texts.sort();
    texts.dedup();
    let typeset = glyphs_pdf(&st, &texts).await?;
    let st2 = st.clone();
    let answer = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let template = open(&st2, &input, password.as_deref())?;
            let glyph_doc = match typeset {
                Some(pdf) => Some(crate::document::open(
                    &pdf,
                    None,
                    "values",
                    &st2.config.limits,
                )?),
                None => None,
            };
            let fill = |values: &[(String, forms::Value)], flat: bool, at: &str| {
                let mut doc = template.clone();
                let glyphs = import_glyphs(&mut doc, glyph_doc.as_ref(), &texts)?;
                forms::fill(&mut doc, values, at, &glyphs)?;
                if flat {
                    flatten(&mut doc, &st2)?;
                }
                Ok::<_, ApiError>(doc)
            };
            match (one_copy, items) {
                (Some(values), _) => {
                    let mut doc = fill(&values, flatten_each, "values")?;
                    Ok((crate::document::save(&mut doc)?, "application/pdf"))
                }
                (None, Some(items)) if output == BulkOutput::Merged => {
                    let parts = items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            Ok(Part {
                                doc: fill(v, true, &format!("items[{i}]"))?,
                                title: format!("Copy {}", i + 1),
                            })
                        })
                        .collect::<Result<Vec<_>, ApiError>>()?;
                    let mut doc = crate::merge::merge(parts, false, &st2.config.limits)?;
                    Ok((crate::document::save(&mut doc)?, "application/pdf"))
                }
                (None, Some(items)) => {
                    let files = items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut doc = fill(v, flatten_each, &format!("items[{i}]"))?;
                            Ok(crate::document::save(&mut doc)?)
                        })
                        .collect::<Result<Vec<_>, ApiError>>()?;
                    Ok((crate::split::zip("filled", &files)?, "application/zip"))
                }
                (None, None) => Err(ApiError::internal("no values")),
            }
        })
        .await??;
    let (bytes, ctype) = answer;
    let name = if ctype == "application/zip" {
        "filled.zip"
    } else {
        "filled.pdf"
    };
    Ok(respond_binary(
        &headers,
        form,
        bytes,
        ctype,
        name,
        Map::new(),
    ))
}

/// The Typst source that typesets each text (`sys.inputs.data.texts`) on a page of its own size.
#[cfg(feature = "generate")]
const GLYPHS_SOURCE: &str = r#"#set page(width: auto, height: auto, margin: 0pt)
#for (i, t) in sys.inputs.data.texts.enumerate() {
  if i > 0 { pagebreak() }
  text(font: ("DejaVu Sans", "Libertinus Serif"), size: 10pt, top-edge: "ascender", bottom-edge: "descender", t)
}
"#;

/// A PDF of `texts`, one page each, typeset by Typst in a worker (`None` when there are none).
#[cfg(feature = "generate")]
async fn glyphs_pdf(st: &St, texts: &[String]) -> Result<Option<Vec<u8>>, ApiError> {
    if texts.is_empty() {
        return Ok(None);
    }
    let job = crate::worker::Job {
        typeset: Some(crate::typeset::Typeset {
            source: GLYPHS_SOURCE.into(),
            data: serde_json::json!({ "texts": texts }),
            untagged: true,
            ..Default::default()
        }),
        ..crate::worker::Job::new("typeset")
    };
    let (reply, pdf) = st.workers.run(&job, &[]).await?;
    if let Some((_, message)) = reply.error {
        return Err(ApiError::field(
            "values",
            format!("could not be typeset: {message}"),
        ));
    }
    Ok(Some(pdf))
}

/// Without Typst, text beyond Latin-1 is written with the form's Latin font (`?` for the rest).
#[cfg(not(feature = "generate"))]
async fn glyphs_pdf(_: &St, _: &[String]) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(None)
}

/// The typeset texts moved into `doc` as forms, by text.
#[cfg(feature = "generate")]
fn import_glyphs(
    doc: &mut lopdf::Document,
    typeset: Option<&lopdf::Document>,
    texts: &[String],
) -> Result<forms::Glyphs, ApiError> {
    let Some(t) = typeset else {
        return Ok(forms::Glyphs::new());
    };
    let pages = crate::overlay::import_pages(doc, t.clone())?;
    Ok(texts
        .iter()
        .cloned()
        .zip(pages)
        .map(|(text, (id, g))| (text, (id, g.w, g.h)))
        .collect())
}

#[cfg(not(feature = "generate"))]
fn import_glyphs(
    _: &mut lopdf::Document,
    _: Option<&lopdf::Document>,
    _: &[String],
) -> Result<forms::Glyphs, ApiError> {
    Ok(forms::Glyphs::new())
}

/// Flatten every page's widgets.
fn flatten(doc: &mut lopdf::Document, st: &super::PdfState) -> Result<(), ApiError> {
    let pages = crate::document::page_ids(doc, st.config.limits.max_pages, "file")?;
    forms::flatten(doc, &pages)?;
    Ok(())
}

file_request!(
    FormsFlattenRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF form to flatten."
);

/// Flatten a PDF form: its fields' appearances drawn into the pages, the form removed.
#[utoipa::path(post, path = "/api/v1/pdf/forms/flatten", tag = "pdf",
    request_body(content = FormsFlattenRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The flattened PDF", content_type = "application/pdf")))]
pub async fn forms_flatten(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "flattened.pdf", |doc, _: super::NoOptions, st| {
        flatten(doc, st)?;
        Ok(Map::new())
    })
    .await
}
