//! The error bodies users read (an n8n node shows `error.message` alone), pinned as inline
//! snapshots with the request id redacted.

use serde_json::{Value, json};

use crate::support::*;

async fn error_of(path: &str, body: Value) -> Value {
    json_call(&app_with(&[]), path, body).await.1
}

macro_rules! pin {
    ($v:expr, @$snap:literal) => {
        insta::assert_json_snapshot!($v, {".error.requestId" => "[id]"}, @$snap)
    };
}

#[tokio::test]
async fn not_a_pdf() {
    pin!(error_of("/api/v1/pdf/info", json!({"data": "aGVsbG8gd29ybGQ="})).await, @r#"
    {
      "error": {
        "code": "UNSUPPORTED_MEDIA_TYPE",
        "message": "data: is not a PDF (it starts with 68 65 6c 6c 6f 20 77 6f); send a PDF file",
        "details": [
          {
            "field": "data",
            "message": "is not a PDF (it starts with 68 65 6c 6c 6f 20 77 6f); send a PDF file"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn an_encrypted_file_without_its_password() {
    let app = app_with(&[]);
    let body = json!({"data": b64(&pdf("P", 1, false)), "userPassword": "pw", "response": "json"});
    let (_, v) = json_call(&app, "/api/v1/pdf/encrypt", body).await;
    pin!(error_of("/api/v1/pdf/pages", json!({"data": v["data"], "pages": "1"})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "password: is required: the PDF in `data` is encrypted; send its user or owner password",
        "details": [
          {
            "field": "password",
            "message": "is required: the PDF in `data` is encrypted; send its user or owner password"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}
