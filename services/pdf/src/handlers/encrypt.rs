//! `POST /api/v1/pdf/encrypt`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::Map;
use utoipa::ToSchema;

use super::{One, St, one, open, respond_pdf};

/// Options of `encrypt`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EncryptOptions {
    /// The password that opens the file (may be empty: anyone opens it, the permissions
    /// still apply).
    #[serde(default)]
    pub user_password: Option<String>,
    /// The password that lifts the restrictions (default: the user password).
    #[serde(default)]
    pub owner_password: Option<String>,
    /// What a user may do: any of print, printHighQuality, modify, copy, annotate, fillForms,
    /// accessibility, assemble (default: everything).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

file_request!(
    EncryptRequest,
    EncryptOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"userPassword":"open sesame","ownerPassword":"s3cret owner","permissions":["print","accessibility"]}),
    "A PDF, its passwords and permissions."
);

/// Encrypt with AES-256: a password to open the file, an owner password, and permissions.
#[utoipa::path(post, path = "/api/v1/pdf/encrypt", tag = "pdf",
    request_body(content = EncryptRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The encrypted PDF", content_type = "application/pdf")))]
pub async fn encrypt(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<EncryptOptions>(&st, req).await?;
    let user = o.user_password.unwrap_or_default();
    let owner = o
        .owner_password
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| user.clone());
    if owner.is_empty() {
        return Err(ApiError::field(
            "ownerPassword",
            "is required when `userPassword` is empty (it is the password that lifts the restrictions)",
        ));
    }
    let permissions = crate::secure::permissions(o.permissions.as_deref())?;
    let form = input.response;
    let st2 = st.clone();
    let bytes = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = open(&st2, &input, password.as_deref())?;
            Ok(crate::secure::encrypted(
                &mut doc,
                &user,
                &owner,
                permissions,
            )?)
        })
        .await??;
    Ok(respond_pdf(
        &headers,
        form,
        bytes,
        "encrypted.pdf",
        Map::new(),
    ))
}
