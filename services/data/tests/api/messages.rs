//! The error bodies users read (an n8n node shows `error.message` alone), pinned as inline
//! snapshots with the request id redacted: a change of wording shows in review.

use serde_json::{Value, json};

use crate::support::*;

async fn error_of(path: &str, body: Value) -> Value {
    let (_, v) = post(&app_with(&[]), path, body).await;
    v
}

macro_rules! pin {
    ($v:expr, @$snap:literal) => {
        insta::assert_json_snapshot!($v, {".error.requestId" => "[id]"}, @$snap)
    };
}

#[tokio::test]
async fn a_jq_syntax_error_names_line_and_column() {
    pin!(error_of("/api/v1/data/jq", json!({"filter":".[","input":{}})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "filter: expected closing bracket at line 1, column 3",
        "details": [
          {
            "field": "filter",
            "message": "expected closing bracket at line 1, column 3"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn an_unknown_field_lists_the_accepted_ones() {
    pin!(error_of("/api/v1/data/json/flatten", json!({"data":{},"sep":"."})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "sep: is not a known field; the accepted fields are data, separator, arrays",
        "details": [
          {
            "field": "sep",
            "message": "is not a known field; the accepted fields are data, separator, arrays"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn a_jq_error_raised_by_the_filter() {
    pin!(error_of("/api/v1/data/jq", json!({"filter":"error(\"bad row\")","input":1})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "filter: jq error: bad row",
        "details": [
          {
            "field": "filter",
            "message": "jq error: bad row"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}
