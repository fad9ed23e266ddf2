//! The route table: every route with its OpenAPI entry (through `utoipa-axum`, so a route cannot
//! exist undocumented) and, beside it, its own limits where it has any.

use std::sync::Arc;

use flowforge_kit::{RouteLimits, Routes, Service};
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::handlers::{
    DataState, convert, datetime, decode, encode, html, items, jq, json, markdown, template, text,
    validate,
};

#[derive(OpenApi)]
#[openapi(tags((name = "data", description = "jq, format conversion, JSON and item operations, schemas, templates, dates, HTML and Markdown, encodings, text")))]
struct DataApi;

/// The service: its routes, documents and limits, with `state` applied.
pub fn service(state: DataState) -> Service {
    // Whole files: up to DATA_MAX_INPUT_MB, for up to DATA_TIMEOUT_SECS.
    let files = RouteLimits {
        body: Some(state.config.max_body as u64),
        timeout: Some(state.config.timeout),
    };
    Routes::new(crate::NAME, DataApi::openapi())
        // jq filters and format conversion, over whole files.
        .route_with(files, routes!(jq::jq))
        .route_with(files, routes!(convert::convert))
        // JSON documents.
        .route(routes!(json::json_flatten))
        .route(routes!(json::json_unflatten))
        .route(routes!(json::json_merge))
        .route(routes!(json::json_diff))
        .route(routes!(json::json_patch))
        .route(routes!(json::json_merge_patch))
        .route(routes!(json::json_pick))
        .route(routes!(json::json_omit))
        .route(routes!(json::json_rename_keys))
        // Lists of items (n8n's item operations).
        .route(routes!(items::items))
        // Schemas, templates and dates.
        .route(routes!(validate::validate))
        .route(routes!(template::template))
        .route(routes!(datetime::datetime))
        // HTML and Markdown.
        .route(routes!(markdown::markdown_to_html))
        .route(routes!(html::html_to_markdown))
        .route(routes!(html::html_extract))
        // Encodings and text.
        .route(routes!(encode::encode))
        .route(routes!(decode::decode))
        .route(routes!(text::text_regex))
        .route(routes!(text::text_transform))
        .into_service(Arc::new(state))
}
