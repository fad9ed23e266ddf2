//! The route table: every route with its OpenAPI entry (through `utoipa-axum`, so a route cannot
//! exist undocumented) and, beside it, its own limits.

use std::sync::Arc;

use flowforge_kit::{RouteLimits, Routes, Service};
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::handlers::{
    PdfState, attachments, compress, decrypt, encrypt, forms, info, merge, metadata, pages, render,
    split, text,
};

#[derive(OpenApi)]
#[openapi(tags((name = "pdf", description = "Merge, split, pages, metadata, encryption, information")))]
struct PdfApi;

/// The service: its routes, documents and limits, with `state` applied.
pub fn service(state: PdfState) -> Service {
    // Every route takes whole files: PDF_MAX_INPUT_MB, a third more when they come as base64 in
    // JSON, for up to PDF_TIMEOUT_SECS.
    let pdf = RouteLimits {
        body: Some((state.config.max_body as u64) * 4 / 3 + (1 << 20)),
        timeout: Some(state.config.timeout),
    };
    let routes = Routes::new(crate::NAME, PdfApi::openapi());
    // New documents: templates, Typst, Markdown, images (Typst, in the worker processes).
    #[cfg(feature = "generate")]
    let routes = routes
        .route_with(pdf, routes!(crate::handlers::generate::generate))
        .route(routes!(crate::handlers::generate::fonts))
        // Text and images over pages, typeset by Typst.
        .route_with(pdf, routes!(crate::handlers::overlay::watermark))
        .route_with(pdf, routes!(crate::handlers::overlay::stamp))
        .route_with(pdf, routes!(crate::handlers::overlay::page_numbers))
        .route_with(pdf, routes!(crate::handlers::overlay::header_footer));
    routes
        // Several files into one, one into several.
        .route_with(pdf, routes!(merge::merge))
        .route_with(pdf, routes!(split::split))
        // Pages: extract, reorder, duplicate, delete, rotate.
        .route_with(pdf, routes!(pages::pages))
        .route_with(pdf, routes!(crate::handlers::nup::n_up))
        // Pages as images (PDFium, in worker processes).
        .route_with(pdf, routes!(render::render))
        .route_with(pdf, routes!(render::render_thumbnail))
        .route_with(pdf, routes!(text::text))
        // What a file holds, and its metadata.
        .route_with(pdf, routes!(info::info))
        .route_with(pdf, routes!(metadata::metadata))
        .route_with(pdf, routes!(metadata::metadata_set))
        // Forms: list, fill, flatten.
        .route_with(pdf, routes!(forms::forms))
        .route_with(pdf, routes!(forms::forms_fill))
        .route_with(pdf, routes!(forms::forms_flatten))
        // Attached files.
        .route_with(pdf, routes!(attachments::attachments))
        .route_with(pdf, routes!(attachments::attachments_add))
        .route_with(pdf, routes!(attachments::attachments_extract))
        // Smaller files.
        .route_with(pdf, routes!(compress::compress))
        // Passwords and permissions.
        .route_with(pdf, routes!(encrypt::encrypt))
        .route_with(pdf, routes!(decrypt::decrypt))
        .into_service(Arc::new(state))
}
