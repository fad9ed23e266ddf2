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
async fn not_an_image() {
    pin!(error_of("/api/v1/image/resize", json!({"data":"aGVsbG8gd29ybGQ=","width":10})).await, @r#"
    {
      "error": {
        "code": "UNSUPPORTED_MEDIA_TYPE",
        "message": "data: the file is not an image (it starts with 68 65 6c 6c 6f 20 77 6f); send JPEG, PNG, WebP, GIF, TIFF, BMP, ICO",
        "details": [
          {
            "field": "data",
            "message": "the file is not an image (it starts with 68 65 6c 6c 6f 20 77 6f); send JPEG, PNG, WebP, GIF, TIFF, BMP, ICO"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn an_option_out_of_range() {
    pin!(error_of("/api/v1/image/resize", json!({"data":crate::support::b64(&crate::support::jpeg()),"width":10,"quality":0})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "quality: must be 1 to 100",
        "details": [
          {
            "field": "quality",
            "message": "must be 1 to 100"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}

#[tokio::test]
async fn an_unknown_option() {
    pin!(error_of("/api/v1/image/rotate", json!({"data":crate::support::b64(&crate::support::jpeg()),"angle":90,"angel":90})).await, @r#"
    {
      "error": {
        "code": "VALIDATION_ERROR",
        "message": "angel: is not a known field; the accepted fields are angle or background",
        "details": [
          {
            "field": "angel",
            "message": "is not a known field; the accepted fields are angle or background"
          }
        ],
        "requestId": "[id]"
      }
    }
    "#);
}
