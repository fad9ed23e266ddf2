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
async fn a_syntax_error_names_its_position() {
    pin!(error_of("/api/v1/math/evaluate", json!({"expression":"2 +* 3"})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "expression: unexpected `*` at position 4",
        "details": [
          {
            "field": "expression",
            "message": "unexpected `*` at position 4"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn a_string_where_a_number_belongs() {
    pin!(error_of("/api/v1/math/statistics/describe", json!({"values":[1,"x",3]})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "values[1]: got string \"x\"; expected a number",
        "details": [
          {
            "field": "values[1]",
            "message": "got string \"x\"; expected a number"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn a_singular_matrix_has_no_inverse() {
    pin!(error_of("/api/v1/math/matrix/inverse", json!({"matrix":[[1,2],[2,4]]})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "matrix: is singular (or numerically so: a pivot vanished), so it has no inverse and A x = b has no unique solution",
        "details": [
          {
            "field": "matrix",
            "message": "is singular (or numerically so: a pivot vanished), so it has no inverse and A x = b has no unique solution"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}
