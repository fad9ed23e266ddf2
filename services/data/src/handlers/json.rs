//! `POST /api/v1/data/json/*`: flatten, unflatten, merge, diff, patch, merge-patch, pick,
//! omit, rename-keys.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{DataResult, St, respond, yes};
use crate::json_ops::{self, ArrayMerge, ArrayStyle};

fn default_sep() -> String {
    ".".into()
}

/// Flatten nested data into one object of paths.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"data":{"a":{"b":1,"c":[10,20]}}}))]
pub struct FlattenRequest {
    /// An object or array.
    pub data: serde_json::Value,
    /// Between keys (default `.`).
    #[serde(default = "default_sep")]
    #[schema(min_length = 1)]
    pub separator: String,
    /// `dotted` (`a.0.b`, default) or `bracketed` (`a[0].b`).
    #[serde(default)]
    pub arrays: ArrayStyle,
}

/// Flatten: `{"a":{"b":1}}` → `{"a.b":1}`.
#[utoipa::path(post, path = "/api/v1/data/json/flatten", tag = "data", request_body = FlattenRequest,
    responses((status = 200, description = "Paths to values", body = DataResult)))]
pub async fn json_flatten(State(st): State<St>, p: Payload<FlattenRequest>) -> Response {
    respond(&st, "json_flatten", p, |r| {
        if r.separator.is_empty() {
            return Err(ApiError::field("separator", "must not be empty"));
        }
        Ok(DataResult {
            data: serde_json::Value::Object(json_ops::flatten(&r.data, &r.separator, r.arrays)),
        })
    })
    .await
}

/// Rebuild nesting from paths.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"data":{"a.b":1,"a.c[0]":10}}))]
pub struct UnflattenRequest {
    /// An object of paths to values.
    #[schema(value_type = Object)]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Between keys (default `.`).
    #[serde(default = "default_sep")]
    #[schema(min_length = 1)]
    pub separator: String,
    /// All-digit dotted segments are array positions (default true); `[n]` always is.
    #[serde(default = "yes")]
    pub numeric_keys_as_indexes: bool,
}

/// Unflatten: `{"a.b":1}` → `{"a":{"b":1}}`.
#[utoipa::path(post, path = "/api/v1/data/json/unflatten", tag = "data", request_body = UnflattenRequest,
    responses((status = 200, description = "Nested data", body = DataResult)))]
pub async fn json_unflatten(State(st): State<St>, p: Payload<UnflattenRequest>) -> Response {
    respond(&st, "json_unflatten", p, |r| {
        if r.separator.is_empty() {
            return Err(ApiError::field("separator", "must not be empty"));
        }
        Ok(DataResult {
            data: json_ops::unflatten(&r.data, &r.separator, r.numeric_keys_as_indexes)?,
        })
    })
    .await
}

/// Deep-merge values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"objects":[{"a":{"x":1},"l":[1]},{"a":{"y":2},"l":[2]}],"arrays":"concat"}))]
pub struct MergeRequest {
    /// Two or more values, merged left to right (later wins).
    #[schema(min_items = 1)]
    pub objects: Vec<serde_json::Value>,
    /// Arrays at the same place: `replace` (default), `concat`, `union`, `merge-by-index`.
    #[serde(default)]
    pub arrays: ArrayMerge,
}

/// Deep merge: objects key by key, arrays by the named policy.
#[utoipa::path(post, path = "/api/v1/data/json/merge", tag = "data", request_body = MergeRequest,
    responses((status = 200, description = "The merged value", body = DataResult)))]
pub async fn json_merge(State(st): State<St>, p: Payload<MergeRequest>) -> Response {
    respond(&st, "json_merge", p, |r| {
        let mut it = r.objects.into_iter();
        let mut acc = it
            .next()
            .ok_or_else(|| ApiError::field("objects", "needs at least one value"))?;
        for v in it {
            json_ops::merge(&mut acc, &v, r.arrays);
        }
        Ok(DataResult { data: acc })
    })
    .await
}

/// Two values to compare.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from":{"a":1,"b":[1,2]},"to":{"a":2,"b":[1]}}))]
pub struct DiffRequest {
    /// The original.
    pub from: serde_json::Value,
    /// The changed version.
    pub to: serde_json::Value,
}

/// The RFC 6902 patch.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"patch":[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/b/1"}]}))]
pub struct DiffResponse {
    /// Operations that turn `from` into `to`.
    pub patch: Vec<serde_json::Value>,
}

/// Diff two values as an RFC 6902 JSON Patch.
#[utoipa::path(post, path = "/api/v1/data/json/diff", tag = "data", request_body = DiffRequest,
    responses((status = 200, description = "The patch", body = DiffResponse)))]
pub async fn json_diff(State(st): State<St>, p: Payload<DiffRequest>) -> Response {
    respond(&st, "json_diff", p, |r| {
        Ok(DiffResponse {
            patch: json_ops::diff(&r.from, &r.to),
        })
    })
    .await
}

/// A document and a patch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":{"a":1},"patch":[{"op":"add","path":"/b","value":2}]}))]
pub struct PatchRequest {
    /// The document.
    pub data: serde_json::Value,
    /// RFC 6902 operations (for `json/patch`) or an RFC 7386 merge patch (for `json/merge-patch`).
    pub patch: serde_json::Value,
}

/// Apply an RFC 6902 JSON Patch; a failed `test` or a missing path is 422 naming the operation.
#[utoipa::path(post, path = "/api/v1/data/json/patch", tag = "data", request_body = PatchRequest,
    responses((status = 200, description = "The patched document", body = DataResult)))]
pub async fn json_patch(State(st): State<St>, p: Payload<PatchRequest>) -> Response {
    respond(&st, "json_patch", p, |mut r| {
        let ops = r
            .patch
            .as_array()
            .ok_or_else(|| ApiError::field("patch", "must be an array of operations (RFC 6902)"))?;
        json_ops::apply_patch(&mut r.data, ops)?;
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Apply an RFC 7386 JSON Merge Patch (`null` removes a key).
#[utoipa::path(post, path = "/api/v1/data/json/merge-patch", tag = "data", request_body = PatchRequest,
    responses((status = 200, description = "The patched document", body = DataResult)))]
pub async fn json_merge_patch(State(st): State<St>, p: Payload<PatchRequest>) -> Response {
    respond(&st, "json_merge_patch", p, |mut r| {
        json_ops::merge_patch(&mut r.data, &r.patch);
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Paths to keep or drop.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":[{"id":1,"user":{"name":"a","pw":"x"}}],"paths":["id","user.name"]}))]
pub struct PathsRequest {
    /// An object, or an array of records (each handled).
    pub data: serde_json::Value,
    /// Dotted paths (`user.name`) or JSON Pointers (`/user/name`).
    pub paths: Vec<String>,
}

/// Keep only the given paths.
#[utoipa::path(post, path = "/api/v1/data/json/pick", tag = "data", request_body = PathsRequest,
    responses((status = 200, description = "The picked data", body = DataResult)))]
pub async fn json_pick(State(st): State<St>, p: Payload<PathsRequest>) -> Response {
    respond(&st, "json_pick", p, |r| {
        Ok(DataResult {
            data: json_ops::pick(&r.data, &r.paths),
        })
    })
    .await
}

/// Drop the given paths.
#[utoipa::path(post, path = "/api/v1/data/json/omit", tag = "data", request_body = PathsRequest,
    responses((status = 200, description = "The data without them", body = DataResult)))]
pub async fn json_omit(State(st): State<St>, p: Payload<PathsRequest>) -> Response {
    respond(&st, "json_omit", p, |mut r| {
        json_ops::omit(&mut r.data, &r.paths);
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Keys to rename.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":[{"first_name":"Ada"}],"rename":{"first_name":"firstName"}}))]
pub struct RenameRequest {
    /// An object, or an array of records.
    pub data: serde_json::Value,
    /// Old name → new name.
    #[schema(value_type = Object)]
    pub rename: serde_json::Map<String, serde_json::Value>,
    /// Rename at every level, not only the top (default false).
    #[serde(default)]
    pub deep: bool,
}

/// Rename keys (as n8n's Rename Keys node).
#[utoipa::path(post, path = "/api/v1/data/json/rename-keys", tag = "data", request_body = RenameRequest,
    responses((status = 200, description = "The data with keys renamed", body = DataResult)))]
pub async fn json_rename_keys(State(st): State<St>, p: Payload<RenameRequest>) -> Response {
    respond(&st, "json_rename_keys", p, |mut r| {
        if let Some((k, v)) = r.rename.iter().find(|(_, v)| !v.is_string()) {
            return Err(ApiError::field(
                format!("rename.{k}"),
                format!("must be the new name (a string); got {v}"),
            ));
        }
        json_ops::rename_keys(&mut r.data, &r.rename, r.deep);
        Ok(DataResult { data: r.data })
    })
    .await
}
