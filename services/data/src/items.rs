//! Operations on lists of records, as automations pass them (n8n's Item Lists, Split Out,
//! Aggregate, Merge and Compare Datasets): sort, filter, dedupe, group with aggregates, split
//! out, chunk, limit, join and compare. Keys are dotted paths (`user.name`). Values order as jq
//! orders them: null < false < true < numbers < strings < arrays < objects.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

/// The value at a dotted path (`a.b.0`), or `None`.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(v);
    }
    path.split('.').try_fold(v, |cur, k| match cur {
        Value::Object(o) => o.get(k),
        Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// jq's total order on JSON values.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .map(|(p, q)| compare(p, q))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| x.len().cmp(&y.len())),
        (Value::Object(x), Value::Object(y)) => {
            let mut kx: Vec<&String> = x.keys().collect();
            let mut ky: Vec<&String> = y.keys().collect();
            kx.sort();
            ky.sort();
            kx.cmp(&ky).then_with(|| {
                kx.iter()
                    .map(|k| compare(&x[k.as_str()], &y[k.as_str()]))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

/// One sort key: a path, descending when written `-path`.
pub fn sort(items: &mut [Value], keys: &[String]) {
    let keys: Vec<(&str, bool)> = keys
        .iter()
        .map(|k| match k.strip_prefix('-') {
            Some(p) => (p, true),
            None => (k.strip_prefix('+').unwrap_or(k), false),
        })
        .collect();
    let null = Value::Null;
    items.sort_by(|a, b| {
        keys.iter()
            .map(|(k, desc)| {
                let o = compare(at(a, k).unwrap_or(&null), at(b, k).unwrap_or(&null));
                if *desc { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
}

flowforge_kit::wire_enum! {
    /// A condition's test.
    pub enum Test {
        /// Equal.
        Eq = "eq" | "==" | "equals",
        /// Not equal.
        Ne = "ne" | "!=",
        /// Greater than.
        Gt = "gt" | ">",
        /// Greater than or equal.
        Gte = "gte" | ">=",
        /// Less than.
        Lt = "lt" | "<",
        /// Less than or equal.
        Lte = "lte" | "<=",
        /// A string contains `value`, or an array holds it.
        Contains = "contains",
        /// A string starts with `value`.
        StartsWith = "startsWith" | "starts_with",
        /// A string ends with `value`.
        EndsWith = "endsWith" | "ends_with",
        /// The key is present (and not null).
        Exists = "exists",
        /// The key is absent or null.
        Empty = "empty" | "notExists",
    }
}

/// One condition: `key` `test` `value`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Dotted path.
    pub key: String,
    /// eq, ne, gt, gte, lt, lte, contains, startsWith, endsWith, exists, empty.
    pub test: Test,
    /// What to compare with (not needed for exists and empty).
    #[serde(default)]
    pub value: Value,
}

/// Whether `item` passes `c`.
pub fn passes(item: &Value, c: &Condition) -> bool {
    let v = at(item, &c.key);
    let present = v.is_some_and(|v| !v.is_null());
    let s = |x: Option<&Value>| x.and_then(Value::as_str).map(str::to_string);
    match c.test {
        Test::Exists => present,
        Test::Empty => !present,
        Test::Eq => v.unwrap_or(&Value::Null) == &c.value,
        Test::Ne => v.unwrap_or(&Value::Null) != &c.value,
        Test::Gt | Test::Gte | Test::Lt | Test::Lte => {
            // Only like with like: a number against a string never passes.
            let Some(v) = v else { return false };
            if rank(v) != rank(&c.value) {
                return false;
            }
            let o = compare(v, &c.value);
            match c.test {
                Test::Gt => o.is_gt(),
                Test::Gte => o.is_ge(),
                Test::Lt => o.is_lt(),
                _ => o.is_le(),
            }
        }
        Test::Contains => match v {
            Some(Value::String(x)) => c.value.as_str().is_some_and(|n| x.contains(n)),
            Some(Value::Array(a)) => a.contains(&c.value),
            _ => false,
        },
        Test::StartsWith => s(v)
            .zip(c.value.as_str())
            .is_some_and(|(x, n)| x.starts_with(n)),
        Test::EndsWith => s(v)
            .zip(c.value.as_str())
            .is_some_and(|(x, n)| x.ends_with(n)),
    }
}

/// The key of an item under `keys` (the whole item when `keys` is empty).
fn key_of(item: &Value, keys: &[String]) -> Value {
    if keys.is_empty() {
        return item.clone();
    }
    Value::Array(
        keys.iter()
            .map(|k| at(item, k).cloned().unwrap_or(Value::Null))
            .collect(),
    )
}

/// First item of each distinct key, in order.
pub fn dedupe(items: Vec<Value>, keys: &[String]) -> Vec<Value> {
    let mut seen: Vec<String> = Vec::new();
    let mut set = std::collections::HashSet::new();
    let mut out = Vec::new();
    for it in items {
        let k = key_of(&it, keys).to_string();
        if set.insert(k.clone()) {
            seen.push(k);
            out.push(it);
        }
    }
    out
}

flowforge_kit::wire_enum! {
    /// An aggregate over a group.
    pub enum Agg {
        /// Items in the group.
        Count = "count",
        /// Sum of numbers.
        Sum = "sum",
        /// Mean of numbers (`null` without any).
        Avg = "avg" | "average" | "mean",
        /// Smallest value.
        Min = "min",
        /// Largest value.
        Max = "max",
        /// First value.
        First = "first",
        /// Last value.
        Last = "last",
        /// Every value, in order (an array).
        Concat = "concat" | "append",
        /// How many distinct values.
        CountDistinct = "countDistinct" | "count_distinct",
    }
}

/// One aggregate: `op` over `key`, answered under `as`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// count, sum, avg, min, max, first, last, concat, countDistinct.
    pub op: Agg,
    /// Dotted path (not needed for count).
    #[serde(default)]
    pub key: Option<String>,
    /// Output name (default `op_key`, or `count`).
    #[serde(default, rename = "as")]
    pub name: Option<String>,
}

fn aggregate(group: &[&Value], a: &Aggregate) -> Value {
    let vals: Vec<&Value> = match &a.key {
        Some(k) => group
            .iter()
            .filter_map(|it| at(it, k))
            .filter(|v| !v.is_null())
            .collect(),
        None => group.to_vec(),
    };
    let nums: Vec<f64> = vals.iter().filter_map(|v| v.as_f64()).collect();
    let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
    match a.op {
        Agg::Count => json!(group.len()),
        Agg::Sum => num(nums.iter().sum()),
        Agg::Avg if nums.is_empty() => Value::Null,
        Agg::Avg => num(nums.iter().sum::<f64>() / nums.len() as f64),
        Agg::Min => vals
            .iter()
            .min_by(|x, y| compare(x, y))
            .map_or(Value::Null, |v| (*v).clone()),
        Agg::Max => vals
            .iter()
            .max_by(|x, y| compare(x, y))
            .map_or(Value::Null, |v| (*v).clone()),
        Agg::First => vals.first().map_or(Value::Null, |v| (*v).clone()),
        Agg::Last => vals.last().map_or(Value::Null, |v| (*v).clone()),
        Agg::Concat => Value::Array(vals.into_iter().cloned().collect()),
        Agg::CountDistinct => {
            let set: std::collections::HashSet<String> =
                vals.iter().map(|v| v.to_string()).collect();
            json!(set.len())
        }
    }
}

/// Group by `by` (in first-seen order) and compute `aggs` per group: one record per group with
/// the `by` keys (their last path segment as the name) and each aggregate.
pub fn group(items: &[Value], by: &[String], aggs: &[Aggregate]) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: std::collections::HashMap<String, (Value, Vec<&Value>)> = Default::default();
    for it in items {
        let k = key_of(it, by);
        let ks = k.to_string();
        groups
            .entry(ks.clone())
            .or_insert_with(|| {
                order.push(ks);
                (k, Vec::new())
            })
            .1
            .push(it);
    }
    order
        .iter()
        .filter_map(|ks| groups.get(ks))
        .map(|(k, members)| {
            let mut rec = Map::new();
            if let Value::Array(parts) = k {
                for (path, v) in by.iter().zip(parts) {
                    let name = path.rsplit('.').next().unwrap_or(path);
                    rec.insert(name.to_string(), v.clone());
                }
            }
            for a in aggs {
                let name = a.name.clone().unwrap_or_else(|| match &a.key {
                    Some(k) => format!("{}_{}", a.op, k.replace('.', "_")),
                    None => a.op.to_string(),
                });
                rec.insert(name, aggregate(members, a));
            }
            Value::Object(rec)
        })
        .collect()
}

/// One output per element of `field`'s array; objects merged over the parent's other fields
/// when `include_parent`, other values put under `as`.
pub fn split_out(items: &[Value], field: &str, include_parent: bool, name: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for it in items {
        let Some(Value::Array(elems)) = at(it, field) else {
            continue;
        };
        for e in elems {
            let mut rec = match (include_parent, it) {
                (true, Value::Object(o)) => {
                    let mut o = o.clone();
                    o.remove(field.split('.').next().unwrap_or(field));
                    o
                }
                _ => Map::new(),
            };
            match e {
                Value::Object(eo) if !include_parent || name.is_empty() => {
                    rec.extend(eo.clone());
                }
                other => {
                    rec.insert(
                        if name.is_empty() {
                            field.to_string()
                        } else {
                            name.to_string()
                        },
                        other.clone(),
                    );
                }
            }
            out.push(Value::Object(rec));
        }
    }
    out
}

flowforge_kit::wire_enum! {
    /// How two lists are joined.
    pub enum JoinType {
        /// Pairs whose keys match.
        Inner = "inner",
        /// Every left item, with its match or alone.
        Left = "left",
        /// Every item of both sides.
        Outer = "outer" | "full",
    }
}

/// Join `left` and `right` on `lk` = `rk`: each match is the left record with the right one's
/// fields laid over it.
pub fn join(left: &[Value], right: &[Value], lk: &str, rk: &str, how: JoinType) -> Vec<Value> {
    let mut index: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, r) in right.iter().enumerate() {
        if let Some(k) = at(r, rk) {
            index.entry(k.to_string()).or_default().push(i);
        }
    }
    let mut used = vec![false; right.len()];
    let mut out = Vec::new();
    for l in left {
        let matches = at(l, lk).and_then(|k| index.get(&k.to_string()));
        match matches {
            Some(ms) => {
                for &i in ms {
                    used[i] = true;
                    let mut rec = l.as_object().cloned().unwrap_or_default();
                    if let Some(ro) = right[i].as_object() {
                        rec.extend(ro.clone());
                    }
                    out.push(Value::Object(rec));
                }
            }
            None if how != JoinType::Inner => out.push(l.clone()),
            None => {}
        }
    }
    if how == JoinType::Outer {
        out.extend(
            right
                .iter()
                .zip(&used)
                .filter(|(_, u)| !**u)
                .map(|(r, _)| r.clone()),
        );
    }
    out
}

/// Compare two lists by `keys`: items only in `b` (added), only in `a` (removed), in both but
/// different (changed, with both versions and the differing fields), and unchanged.
pub fn compare_lists(a: &[Value], b: &[Value], keys: &[String]) -> Value {
    let index = |xs: &[Value]| -> std::collections::HashMap<String, usize> {
        xs.iter()
            .enumerate()
            .map(|(i, x)| (key_of(x, keys).to_string(), i))
            .collect()
    };
    let (ia, ib) = (index(a), index(b));
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    for x in a {
        match ib.get(&key_of(x, keys).to_string()) {
            None => removed.push(x.clone()),
            Some(&j) if &b[j] == x => unchanged.push(x.clone()),
            Some(&j) => {
                let fields: Vec<String> = match (x, &b[j]) {
                    (Value::Object(p), Value::Object(q)) => {
                        let mut f: Vec<String> = Vec::new();
                        for k in p.keys().chain(q.keys()) {
                            if p.get(k) != q.get(k) && !f.contains(k) {
                                f.push(k.clone());
                            }
                        }
                        f
                    }
                    _ => Vec::new(),
                };
                changed.push(json!({"key": key_of(x, keys), "a": x, "b": b[j], "fields": fields}));
            }
        }
    }
    for y in b {
        if !ia.contains_key(&key_of(y, keys).to_string()) {
            added.push(y.clone());
        }
    }
    json!({"added": added, "removed": removed, "changed": changed, "unchanged": unchanged})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Vec<Value> {
        serde_json::from_value(json!([
            {"name":"b","age":30,"city":"Oslo","tags":["x","y"]},
            {"name":"a","age":40,"city":"Rome","tags":["y"]},
            {"name":"c","age":30,"city":"Oslo","tags":[]},
            {"name":"a","age":41,"city":"Rome"}
        ]))
        .unwrap()
    }

    #[test]
    fn sort_filter_dedupe() {
        let mut p = people();
        sort(&mut p, &["age".into(), "-name".into()]);
        let names: Vec<&str> = p.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["c", "b", "a", "a"]);
        let c = Condition {
            key: "age".into(),
            test: Test::Gte,
            value: json!(40),
        };
        assert_eq!(people().iter().filter(|v| passes(v, &c)).count(), 2);
        let c = Condition {
            key: "age".into(),
            test: Test::Gt,
            value: json!("3"),
        };
        assert_eq!(people().iter().filter(|v| passes(v, &c)).count(), 0);
        let c = Condition {
            key: "tags".into(),
            test: Test::Contains,
            value: json!("y"),
        };
        assert_eq!(people().iter().filter(|v| passes(v, &c)).count(), 2);
        assert_eq!(dedupe(people(), &["name".into()]).len(), 3);
        assert_eq!(dedupe(people(), &[]).len(), 4);
    }

    #[test]
    fn group_split_join_compare() {
        let g = group(
            &people(),
            &["city".into()],
            &[
                Aggregate {
                    op: Agg::Count,
                    key: None,
                    name: None,
                },
                Aggregate {
                    op: Agg::Avg,
                    key: Some("age".into()),
                    name: Some("avgAge".into()),
                },
                Aggregate {
                    op: Agg::Concat,
                    key: Some("name".into()),
                    name: None,
                },
                Aggregate {
                    op: Agg::CountDistinct,
                    key: Some("name".into()),
                    name: Some("n".into()),
                },
            ],
        );
        assert_eq!(
            Value::Array(g),
            json!([
                {"city":"Oslo","count":2,"avgAge":30.0,"concat_name":["b","c"],"n":2},
                {"city":"Rome","count":2,"avgAge":40.5,"concat_name":["a","a"],"n":1}
            ])
        );
        let s = split_out(&people(), "tags", true, "tag");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], json!({"name":"b","age":30,"city":"Oslo","tag":"x"}));
        let users = vec![json!({"id":1,"n":"a"}), json!({"id":2,"n":"b"})];
        let orders = vec![
            json!({"uid":1,"t":5}),
            json!({"uid":1,"t":6}),
            json!({"uid":9,"t":7}),
        ];
        assert_eq!(join(&users, &orders, "id", "uid", JoinType::Inner).len(), 2);
        assert_eq!(join(&users, &orders, "id", "uid", JoinType::Left).len(), 3);
        assert_eq!(join(&users, &orders, "id", "uid", JoinType::Outer).len(), 4);
        let c = compare_lists(
            &[
                json!({"id":1,"v":1}),
                json!({"id":2,"v":2}),
                json!({"id":3}),
            ],
            &[
                json!({"id":1,"v":1}),
                json!({"id":2,"v":9}),
                json!({"id":4}),
            ],
            &["id".into()],
        );
        assert_eq!(c["added"], json!([{"id":4}]));
        assert_eq!(c["removed"], json!([{"id":3}]));
        assert_eq!(c["changed"][0]["fields"], json!(["v"]));
        assert_eq!(c["unchanged"], json!([{"id":1,"v":1}]));
    }
}
