//! `/api/v1/pdf/attachments`, `/attachments/add`, `/attachments/extract`: a file goes in and
//! comes out the same; a missing name lists what there is.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn attach_list_and_extract() {
    let app = app_with(&[]);
    let xml = b"<invoice><total>42.00</total></invoice>".repeat(50);
    let body = json!({"data": b64(&pdf("Page", 1, false)), "attachment": b64(&xml), "name": "factur-x.xml",
        "mimeType": "text/xml", "description": "Factur-X data", "response": "json"});
    let (s, v) = json_call(&app, "/api/v1/pdf/attachments/add", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = unb64(v["data"].as_str().unwrap());
    assert_qpdf_clean(&out);
    let (s, v) = json_call(&app, "/api/v1/pdf/attachments", json!({"data": b64(&out)})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["attachments"],
        json!([{"name":"factur-x.xml","size":xml.len(),"mimeType":"text/xml","description":"Factur-X data"}])
    );
    assert_eq!(
        info(&app, &out).await["attachments"],
        json!(["factur-x.xml"])
    );
    let (s, got) = post_pdf(
        &app,
        "/api/v1/pdf/attachments/extract?name=factur-x.xml",
        out.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, xml);
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/attachments/extract",
        json!({"data": b64(&out), "name": "other.xml"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        v["error"]["message"],
        "name: no attached file is called \"other.xml\"; the PDF has factur-x.xml"
    );
}
