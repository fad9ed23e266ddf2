//! JSON Schema validation (drafts 4, 6, 7, 2019-09, 2020-12) on the `jsonschema` crate, built
//! without its HTTP and file resolvers: a `$ref` reaches only the schema itself and the
//! `resources` the request supplies, so a schema cannot make the service fetch anything.

use std::collections::BTreeMap;

use jsonschema::{Draft, Resource};
use serde_json::Value;

use crate::error::DataError;

flowforge_kit::wire_enum! {
    /// A JSON Schema draft.
    pub enum SchemaDraft {
        /// Draft 4.
        Draft4 = "4" | "draft4" | "draft-04",
        /// Draft 6.
        Draft6 = "6" | "draft6" | "draft-06",
        /// Draft 7.
        Draft7 = "7" | "draft7" | "draft-07",
        /// Draft 2019-09.
        Draft201909 = "2019-09" | "draft2019-09",
        /// Draft 2020-12.
        Draft202012 = "2020-12" | "draft2020-12",
    }
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchemaError {
    /// JSON Pointer to the failing part of the instance (`""` is the whole).
    pub instance_path: String,
    /// JSON Pointer to the keyword in the schema that failed.
    pub schema_path: String,
    /// What was wrong.
    pub message: String,
}

/// The outcome.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// Whether the instance is valid.
    pub valid: bool,
    /// Every failed check, in the order found (at most `maxErrors`).
    pub errors: Vec<SchemaError>,
    /// More errors were found than `maxErrors`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

fn draft_of(d: SchemaDraft) -> Draft {
    match d {
        SchemaDraft::Draft4 => Draft::Draft4,
        SchemaDraft::Draft6 => Draft::Draft6,
        SchemaDraft::Draft7 => Draft::Draft7,
        SchemaDraft::Draft201909 => Draft::Draft201909,
        SchemaDraft::Draft202012 => Draft::Draft202012,
    }
}

/// Compile `schema` and check `instance` against it. The draft is `draft`, else the schema's
/// `$schema`, else 2020-12. `formats`: check `format` keywords (default: as the draft says,
/// which is "annotation only" from 2019-09).
pub fn validate(
    schema: &Value,
    instance: &Value,
    draft: Option<SchemaDraft>,
    formats: Option<bool>,
    resources: &BTreeMap<String, Value>,
    max_errors: usize,
) -> Result<Outcome, DataError> {
    let mut opts = jsonschema::options();
    if let Some(d) = draft {
        opts = opts.with_draft(draft_of(d));
    }
    if let Some(f) = formats {
        opts = opts.should_validate_formats(f);
    }
    for (uri, doc) in resources {
        opts = opts.with_resource(uri.clone(), Resource::from_contents(doc.clone()));
    }
    let validator = opts.build(schema).map_err(|e| {
        DataError::invalid(
            "schema",
            format!(
                "is not a valid schema: {e}{}",
                match e.schema_path().as_str() {
                    "" => String::new(),
                    p => format!(" (at {p})"),
                }
            ),
        )
    })?;
    let mut errors = Vec::new();
    let mut truncated = false;
    for e in validator.iter_errors(instance) {
        if errors.len() == max_errors {
            truncated = true;
            break;
        }
        errors.push(SchemaError {
            instance_path: e.instance_path().as_str().to_string(),
            schema_path: e.schema_path().as_str().to_string(),
            message: e.to_string(),
        });
    }
    Ok(Outcome {
        valid: errors.is_empty(),
        errors,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flowforge_kit::DomainError;
    use serde_json::json;

    fn v(schema: Value, inst: Value) -> Outcome {
        validate(&schema, &inst, None, None, &BTreeMap::new(), 100).unwrap()
    }

    #[test]
    fn lists_every_error_with_paths() {
        let schema = json!({
            "type":"object","required":["id","email"],
            "properties":{"id":{"type":"integer","minimum":1},"tags":{"type":"array","items":{"type":"string"}}},
            "additionalProperties":false
        });
        let out = v(schema, json!({"id":0,"tags":["a",2],"extra":true}));
        assert!(!out.valid);
        let paths: Vec<(&str, &str)> = out
            .errors
            .iter()
            .map(|e| (e.instance_path.as_str(), e.schema_path.as_str()))
            .collect();
        assert!(paths.contains(&("", "/required")), "{paths:?}");
        assert!(
            paths.contains(&("/id", "/properties/id/minimum")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("/tags/1", "/properties/tags/items/type")),
            "{paths:?}"
        );
        assert!(paths.contains(&("", "/additionalProperties")), "{paths:?}");
        assert!(v(json!({"type":"string"}), json!("x")).valid);
    }

    #[test]
    fn drafts_formats_refs_and_bad_schemas() {
        // Draft 4's exclusiveMaximum is a boolean; 2020-12's a number.
        let d4 = json!({"$schema":"http://json-schema.org/draft-04/schema#","maximum":5,"exclusiveMaximum":true});
        assert!(!v(d4, json!(5)).valid);
        assert!(!v(json!({"exclusiveMaximum":5}), json!(5)).valid);
        // format: annotation in 2020-12 unless asked.
        let email = json!({"format":"email"});
        assert!(v(email.clone(), json!("nope")).valid);
        let checked = validate(
            &email,
            &json!("nope"),
            None,
            Some(true),
            &BTreeMap::new(),
            10,
        )
        .unwrap();
        assert!(!checked.valid);
        // $ref to a supplied resource; an unknown remote one is an error, not a fetch.
        let mut res = BTreeMap::new();
        res.insert(
            "https://example.com/id".to_string(),
            json!({"type":"integer"}),
        );
        let s = json!({"properties":{"id":{"$ref":"https://example.com/id"}}});
        let out = validate(&s, &json!({"id":"x"}), None, None, &res, 10).unwrap();
        assert_eq!(out.errors[0].instance_path, "/id");
        let remote = json!({"$ref":"https://example.org/schema.json"});
        assert!(validate(&remote, &json!(1), None, None, &BTreeMap::new(), 10).is_err());
        let e = validate(
            &json!({"type":12}),
            &json!(1),
            None,
            None,
            &BTreeMap::new(),
            10,
        )
        .unwrap_err();
        assert_eq!(e.field(), "schema");
        // At most max_errors.
        let many = validate(
            &json!({"items":{"type":"string"}}),
            &json!([1, 2, 3]),
            None,
            None,
            &BTreeMap::new(),
            2,
        )
        .unwrap();
        assert_eq!(many.errors.len(), 2);
        assert!(many.truncated);
    }
}
