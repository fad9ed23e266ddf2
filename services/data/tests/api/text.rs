//! `/api/v1/data/text/*`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn text_regex_and_transforms() {
    let app = app_with(&[("DATA_REGEX_MAX_SIZE", "1000000")]);
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"a@x.org, b@y.com","pattern":"(?P<user>\\w+)@(?P<host>[\\w.]+)","op":"extract"}),
    )
    .await;
    assert_eq!(v["matches"][1]["named"]["user"], "b", "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"2024-01-05","pattern":"(\\d+)-(\\d+)-(\\d+)","op":"replace","replacement":"$3.$2.$1"}),
    )
    .await;
    assert_eq!(v, json!({"data":"05.01.2024"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"ABC","pattern":"b","op":"test","flags":"i"}),
    )
    .await;
    assert_eq!(v, json!({"matches":true}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"","pattern":"(","op":"test"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "pattern");
    // A pattern whose compiled form is over DATA_REGEX_MAX_SIZE is refused, naming the limit.
    let (s, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"","pattern":"\\w{500}","op":"test"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DATA_REGEX_MAX_SIZE"),
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"Grüße & Café","op":"case","case":"slug"}),
    )
    .await;
    assert_eq!(v, json!({"data":"gruesse-and-cafe"}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"x","op":"truncate"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "length");
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"<p>Hi <b>there</b></p>","op":"strip-html"}),
    )
    .await;
    assert_eq!(v, json!({"data":"Hi there"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"op":"join","parts":["a",1,true,null],"separator":" | "}),
    )
    .await;
    assert_eq!(v, json!({"data":"a | 1 | true | "}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"op":"join","parts":["a",{"b":1}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "parts[1]");
    let (s, v) = post(&app, "/api/v1/data/text/transform", json!({"op":"join"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "parts");
}
