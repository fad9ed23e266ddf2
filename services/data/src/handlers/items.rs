//! `POST /api/v1/data/items`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, respond, yes};
use crate::items;

flowforge_kit::wire_enum! {
    /// An operation on a list of records.
    pub enum ItemsOp {
        /// Sort by `by` (paths; `-path` for descending), stable.
        Sort = "sort",
        /// Keep items passing `where` (all conditions, or any with `"match":"any"`).
        Filter = "filter",
        /// Drop repeats of `keys` (or of whole items), keeping the first.
        Dedupe = "dedupe" | "unique",
        /// One record per distinct `by`, with `aggregates`.
        Group = "group" | "aggregate",
        /// One item per element of the array at `field`.
        SplitOut = "split-out" | "split_out",
        /// Lists of `size` items.
        Chunk = "chunk",
        /// The first (or, with `fromEnd`, last) `count` items.
        Limit = "limit",
        /// Join `left` and `right` on `leftKey` = `rightKey` (`join`: inner, left, outer).
        Join = "join" | "merge",
        /// Compare `a` and `b` by `keys`: added, removed, changed, unchanged.
        Compare = "compare",
    }
}

/// An operation on records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"op":"group","data":[{"city":"Oslo","age":30},{"city":"Oslo","age":40}],"by":["city"],"aggregates":[{"op":"count"},{"op":"avg","key":"age"}]}))]
pub struct ItemsRequest {
    /// sort, filter, dedupe, group, split-out, chunk, limit, join, compare.
    pub op: ItemsOp,
    /// The records (all but join and compare). Named `data` because a top-level `items` is
    /// the batch form every operation takes.
    #[serde(default)]
    pub data: Option<Vec<serde_json::Value>>,
    /// sort: keys (`-key` descending); group: keys to group by.
    #[serde(default)]
    pub by: Vec<String>,
    /// filter: conditions.
    #[serde(default, rename = "where")]
    pub conditions: Vec<items::Condition>,
    /// filter: `all` (default) or `any`.
    #[serde(default, rename = "match")]
    pub match_: Option<String>,
    /// dedupe and compare: the identifying keys (empty: whole items).
    #[serde(default)]
    pub keys: Vec<String>,
    /// group: what to compute per group.
    #[serde(default)]
    pub aggregates: Vec<items::Aggregate>,
    /// split-out: the array field.
    #[serde(default)]
    pub field: Option<String>,
    /// split-out: keep the parent's other fields (default true).
    #[serde(default = "yes")]
    pub include_parent: bool,
    /// split-out: name for non-object elements (default the field's name).
    #[serde(default, rename = "as")]
    pub name: Option<String>,
    /// chunk: items per chunk.
    #[serde(default)]
    pub size: Option<usize>,
    /// limit: how many.
    #[serde(default)]
    pub count: Option<usize>,
    /// limit: take from the end.
    #[serde(default)]
    pub from_end: bool,
    /// join: the left list.
    #[serde(default)]
    pub left: Option<Vec<serde_json::Value>>,
    /// join: the right list.
    #[serde(default)]
    pub right: Option<Vec<serde_json::Value>>,
    /// join: key path in left items.
    #[serde(default)]
    pub left_key: Option<String>,
    /// join: key path in right items (default `leftKey`).
    #[serde(default)]
    pub right_key: Option<String>,
    /// join: inner (default), left, outer.
    #[serde(default)]
    pub join: Option<items::JoinType>,
    /// compare: the first list.
    #[serde(default)]
    pub a: Option<Vec<serde_json::Value>>,
    /// compare: the second list.
    #[serde(default)]
    pub b: Option<Vec<serde_json::Value>>,
}

fn need<T>(v: Option<T>, field: &str, op: ItemsOp) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::field(field, format!("is required for `{op}`")))
}

/// Sort, filter, dedupe, group with aggregates, split out, chunk, limit, join or compare records.
#[utoipa::path(post, path = "/api/v1/data/items", tag = "data", request_body = ItemsRequest,
    responses((status = 200, description = "`data` (compare: added, removed, changed, unchanged)", body = Object)))]
pub async fn items(State(st): State<St>, p: Payload<ItemsRequest>) -> Response {
    respond(&st, "items", p, |r| {
        let op = r.op;
        let list = |v: Option<Vec<serde_json::Value>>| need(v, "data", op);
        Ok(match op {
            ItemsOp::Sort => {
                if r.by.is_empty() {
                    return Err(ApiError::field("by", "needs at least one key for `sort`"));
                }
                let mut xs = list(r.data)?;
                items::sort(&mut xs, &r.by);
                serde_json::json!({"data": xs})
            }
            ItemsOp::Filter => {
                let any = match r.match_.as_deref() {
                    None | Some("all") => false,
                    Some("any") => true,
                    Some(other) => {
                        return Err(ApiError::field("match", format!("{other:?} is not `all` or `any`")));
                    }
                };
                let xs: Vec<_> = list(r.data)?
                    .into_iter()
                    .filter(|it| {
                        let mut t = r.conditions.iter().map(|c| items::passes(it, c));
                        if any { t.any(|x| x) } else { t.all(|x| x) }
                    })
                    .collect();
                serde_json::json!({"data": xs})
            }
            ItemsOp::Dedupe => serde_json::json!({"data": items::dedupe(list(r.data)?, &r.keys)}),
            ItemsOp::Group => {
                let xs = list(r.data)?;
                if let Some((i, _)) = r
                    .aggregates
                    .iter()
                    .enumerate()
                    .find(|(_, a)| a.key.is_none() && a.op != items::Agg::Count)
                {
                    return Err(ApiError::field(
                        format!("aggregates[{i}].key"),
                        "is required for every aggregate but count",
                    ));
                }
                serde_json::json!({"data": items::group(&xs, &r.by, &r.aggregates)})
            }
            ItemsOp::SplitOut => {
                let f = need(r.field, "field", op)?;
                let xs = list(r.data)?;
                serde_json::json!({"data": items::split_out(&xs, &f, r.include_parent, r.name.as_deref().unwrap_or(""))})
            }
            ItemsOp::Chunk => {
                let n = need(r.size, "size", op)?;
                if n == 0 {
                    return Err(ApiError::field("size", "must be at least 1"));
                }
                let xs = list(r.data)?;
                serde_json::json!({"data": xs.chunks(n).collect::<Vec<_>>()})
            }
            ItemsOp::Limit => {
                let n = need(r.count, "count", op)?;
                let mut xs = list(r.data)?;
                if r.from_end {
                    let cut = xs.len().saturating_sub(n);
                    xs.drain(..cut);
                } else {
                    xs.truncate(n);
                }
                serde_json::json!({"data": xs})
            }
            ItemsOp::Join => {
                let l = need(r.left, "left", op)?;
                let rt = need(r.right, "right", op)?;
                let lk = need(r.left_key, "leftKey", op)?;
                let rk = r.right_key.unwrap_or_else(|| lk.clone());
                let how = r.join.unwrap_or(items::JoinType::Inner);
                serde_json::json!({"data": items::join(&l, &rt, &lk, &rk, how)})
            }
            ItemsOp::Compare => {
                let a = need(r.a, "a", op)?;
                let b = need(r.b, "b", op)?;
                items::compare_lists(&a, &b, &r.keys)
            }
        })
    })
    .await
}
