//! `/api/v1/data/template`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn templates_render_escape_and_stop() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"Hello {{ name }}, you owe {{ total|currency('EUR', locale='de') }}.","data":{"name":"Ada","total":1234.5}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["data"], "Hello Ada, you owe 1.234,50\u{a0}€.");
    let (_, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"<p>{{ c }}</p>","data":{"c":"<script>x</script>"}}),
    )
    .await;
    assert_eq!(v["data"], "<p>&lt;script&gt;x&lt;&#x2f;script&gt;</p>");
    let (_, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{{ a }} & {{ b }}","data":{"a":"Tom & Jerry","b":"<3"},"mode":"text"}),
    )
    .await;
    assert_eq!(v["data"], "Tom & Jerry & <3");
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{% if %}"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "template");
    assert!(
        v["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 1"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{{ x }}","strict":true}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"x","mode":"pdf"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    field(&v, "VALIDATION_ERROR", "mode");

    // Fuel at its edge: a loop that fits runs, one more iteration's worth is stopped.
    let small = app_with(&[
        ("DATA_TEMPLATE_FUEL", "2000"),
        ("DATA_TEMPLATE_MAX_OUTPUT", "10"),
    ]);
    let loop_of =
        |n: usize| json!({"template": format!("{{% for i in range({n}) %}}{{% endfor %}}")});
    let mut fits = 0;
    for n in [10, 100, 1000, 10_000] {
        let (s, v) = post(&small, "/api/v1/data/template", loop_of(n)).await;
        if s == StatusCode::OK {
            fits = n;
        } else {
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("DATA_TEMPLATE_FUEL"),
                "{v}"
            );
        }
    }
    assert!((100..10_000).contains(&fits), "{fits}");
    let (s, _) = post(
        &small,
        "/api/v1/data/template",
        json!({"template":"0123456789"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &small,
        "/api/v1/data/template",
        json!({"template":"0123456789x"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DATA_TEMPLATE_MAX_OUTPUT"),
        "{v}"
    );
    // The default fuel stops a loop that would never end in practice.
    let (s, v) = post(&app, "/api/v1/data/template", json!({"template":"{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
