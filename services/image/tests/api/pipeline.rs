//! `/api/v1/image/pipeline`.

use axum::http::StatusCode;
use flowforge_testkit::assert_field as field;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn pipelines() {
    let app = app_with(&[("IMAGE_MAX_OPERATIONS", "3")]);
    let steps = json!([{"op":"resize","width":200},{"op":"rotate","angle":90},{"op":"adjust","grayscale":true}]);
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": steps, "format": "webp"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["width"].as_u64(),
            v["height"].as_u64(),
            v["format"].as_str()
        ),
        (Some(150), Some(200), Some("webp"))
    );
    // The same steps as a query parameter on a raw body.
    let q = serde_json::to_string(&steps).unwrap();
    let path = format!(
        "/api/v1/image/pipeline?operations={}",
        flowforge_kit::http::percent_encode(&q)
    );
    let (s, ct, b) = raw(&app, &path, "image/jpeg", jpeg()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/jpeg");
    assert_eq!(dims(&b), (150, 200));
    // At the step limit, and one over it.
    let four = json!([{"op":"flip"},{"op":"flop"},{"op":"flip"},{"op":"flop"}]);
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": four}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "operations");
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": [{"op":"resize","width":10},{"op":"spin"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["details"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("operations"),
        "{v}"
    );
    let (s, v) = json_call(&app, "/api/v1/image/pipeline", json!({"data": b64(&jpeg()), "operations": [{"op":"flip"},{"op":"crop","left":399,"top":0,"width":5,"height":5}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        v["error"]["details"][0]["field"], "operations[1].width",
        "{v}"
    );
}
