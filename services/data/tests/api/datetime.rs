//! `/api/v1/data/datetime`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn datetime_operations() {
    let app = app_with(&[]);
    let dt = |body: Value| {
        let app = app.clone();
        async move { post(&app, "/api/v1/data/datetime", body).await }
    };
    let (s, v) = dt(json!({"op":"add","value":"2024-01-31T10:00:00","timezone":"Europe/Paris","duration":"P1M"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"data":"2024-02-29T10:00:00+01:00","timezone":"Europe/Paris"})
    );
    let (_, v) = dt(json!({"op":"parse","value":1710081000})).await;
    assert_eq!(v["data"], "2024-03-10T14:30:00Z");
    assert_eq!(v["isoWeek"], 10);
    assert_eq!(v["weekdayName"], "Sunday");
    let (_, v) = dt(json!({"op":"convert","value":"2024-03-10T14:30:00Z","toTimezone":"Asia/Kolkata","format":"dd MMM yyyy HH:mm z"})).await;
    assert_eq!(v["data"], "10 Mar 2024 20:00 Asia/Kolkata");
    let (_, v) =
        dt(json!({"op":"diff","value":"2024-01-01","end":"2024-03-01T12:00:00Z","unit":"days"}))
            .await;
    assert_eq!(v, json!({"data":60.5,"unit":"day"}));
    let (_, v) = dt(json!({"op":"diff","value":"2024-01-01","end":"2024-03-01T12:00:00Z","unit":"days","whole":true})).await;
    assert_eq!(v["data"], 60.0);
    let (_, v) =
        dt(json!({"op":"end-of","value":"2024-02-10","unit":"month","format":"iso8601"})).await;
    assert_eq!(v["data"], "2024-02-29T23:59:59.999Z");
    let (_, v) = dt(json!({"op":"add-business-days","value":"2024-12-20","days":3,"holidays":["2024-12-25","2024-12-26"]})).await;
    assert_eq!(v["data"], "2024-12-27");
    let (_, v) = dt(json!({"op":"business-days","value":"2024-12-01","end":"2024-12-31","weekend":["fri","sat"]})).await;
    assert_eq!(v["data"], 23); // December 2024 has 4 Fridays and 4 Saturdays
    // Batch: one answer per item.
    let (_, v) = dt(json!({"items":[{"op":"format","value":"2024-03-10","format":"%A"},{"op":"format","value":"x"}]})).await;
    assert_eq!(v["results"][0]["data"], "Sunday", "{v}");
    assert_eq!(
        v["results"][1]["error"]["details"][0]["field"], "items[1].value",
        "{v}"
    );

    for (body, f) in [
        (json!({"op":"parse","value":"tomorrow-ish"}), "value"),
        (json!({"op":"parse","value":true}), "value"),
        (
            json!({"op":"format","value":"2024-03-10","timezone":"Mars/Base"}),
            "timezone",
        ),
        (
            json!({"op":"format","value":"2024-03-10","format":"yyyy-QQQ"}),
            "format",
        ),
        (json!({"op":"add","value":"2024-03-10"}), "duration"),
        (
            json!({"op":"add","value":"2024-03-10","duration":"P1X"}),
            "duration",
        ),
        (
            json!({"op":"add","value":"2024-03-10","duration":{"years":300000}}),
            "duration",
        ),
        (
            json!({"op":"diff","value":"2024-03-10","end":"2024-04-01"}),
            "unit",
        ),
        (
            json!({"op":"diff","value":"2024-03-10","unit":"day"}),
            "end",
        ),
        (json!({"op":"convert","value":"2024-03-10"}), "toTimezone"),
        (
            json!({"op":"add-business-days","value":"2024-03-10","days":1,"holidays":["10/03/2024"]}),
            "holidays",
        ),
        (
            json!({"op":"add-business-days","value":"2024-03-10","days":1,"weekend":[1,2,3,4,5,6,7]}),
            "weekend",
        ),
        (
            json!({"op":"business-days","value":"2024-03-10","end":"2024-03-20","weekend":["someday"]}),
            "weekend",
        ),
        (
            json!({"op":"start-of","value":"2024-03-10","unit":"fortnight"}),
            "unit",
        ),
        (json!({"op":"shift","value":"2024-03-10"}), "op"),
    ] {
        let (s, v) = dt(body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
}
