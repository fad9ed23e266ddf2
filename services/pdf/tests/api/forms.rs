//! `/api/v1/pdf/forms`, `/forms/fill`, `/forms/flatten`: values that poppler renders, flattened
//! values that pdftotext reads from the page, names that say what the form has.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn fields_are_listed_by_qualified_name() {
    let app = app_with(&[]);
    let (s, v) = json_call(&app, "/api/v1/pdf/forms", json!({"data": b64(&form_pdf())})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["fields"],
        json!([
            {"name": "name", "type": "text", "value": null},
            {"name": "address.city", "type": "text", "value": null},
            {"name": "agree", "type": "checkbox", "value": "Off", "options": ["Yes"]}
        ])
    );
}

#[tokio::test]
async fn filled_values_render_and_flatten_into_the_page() {
    let app = app_with(&[]);
    let form = form_pdf();
    // The name field's box (72..300 × 700..720 in PDF space) from the top left of a 792-pt page.
    assert_eq!(ink(&form, 72, 72, 228, 20), 0, "empty before");
    let values = json!({"name": "Ada Lovelace", "address.city": "Lyon", "agree": true});
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/forms/fill",
        json!({"data": b64(&form), "values": values, "response": "json"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let filled = unb64(v["data"].as_str().unwrap());
    assert_qpdf_clean(&filled);
    assert!(
        ink(&filled, 72, 72, 228, 20) > 50,
        "the name shows in poppler's rendering"
    );
    assert!(ink(&filled, 72, 152, 20, 20) > 50, "the box is ticked");
    let (_, l) = json_call(&app, "/api/v1/pdf/forms", json!({"data": b64(&filled)})).await;
    assert_eq!(l["fields"][0]["value"], "Ada Lovelace");
    assert_eq!(l["fields"][2]["value"], "Yes");
    let (s, b) = post_pdf(&app, "/api/v1/pdf/forms/flatten", filled).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_qpdf_clean(&b);
    let text = page_texts(&b).join("\n");
    assert!(
        text.contains("Ada Lovelace") && text.contains("Lyon"),
        "{text}"
    );
    assert!(ink(&b, 72, 152, 20, 20) > 50, "the tick stays");
    let (_, l) = json_call(&app, "/api/v1/pdf/forms", json!({"data": b64(&b)})).await;
    assert_eq!(l["fields"], json!([]), "the form is gone");
}

#[tokio::test]
async fn unknown_fields_and_wrong_values_are_named() {
    let app = app_with(&[]);
    let body = json!({"data": b64(&form_pdf()), "values": {"nmae": "Ada"}});
    let (s, v) = json_call(&app, "/api/v1/pdf/forms/fill", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        v["error"]["message"],
        "values.nmae: is not a field of this form; its fields are name, address.city, agree"
    );
    let body = json!({"data": b64(&form_pdf()), "values": {"agree": "maybe"}});
    let (s, v) = json_call(&app, "/api/v1/pdf/forms/fill", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "values.agree");
}

#[tokio::test]
async fn one_copy_per_item_as_a_zip_or_one_merged_pdf() {
    let app = app_with(&[]);
    let items = json!([{"name": "Ada Lovelace"}, {"name": "Grace Hopper", "agree": true}]);
    let body = json!({"data": b64(&form_pdf()), "items": items, "flatten": true});
    let (s, _, zip) = raw(
        &app,
        "/api/v1/pdf/forms/fill",
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&zip));
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(z.len(), 2);
    let mut second = Vec::new();
    std::io::Read::read_to_end(&mut z.by_name("filled-2.pdf").unwrap(), &mut second).unwrap();
    assert_qpdf_clean(&second);
    assert!(page_texts(&second)[0].contains("Grace Hopper"));
    let body = json!({"data": b64(&form_pdf()), "items": items, "output": "merged"});
    let (s, _, merged) = raw(
        &app,
        "/api/v1/pdf/forms/fill",
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&merged));
    assert_qpdf_clean(&merged);
    let pages = page_texts(&merged);
    assert_eq!(pages.len(), 2);
    assert!(
        pages[0].contains("Ada Lovelace") && pages[1].contains("Grace Hopper"),
        "{pages:?}"
    );
    let body = json!({"data": b64(&form_pdf()), "items": [{"name": "A"}, {"nope": "B"}]});
    let (s, v) = json_call(&app, "/api/v1/pdf/forms/fill", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "items[1].nope");
}

#[tokio::test]
async fn values_in_any_script_show_and_survive_flattening() {
    let app = app_with(&[]);
    let form = form_pdf();
    let name = "张伟 Иван Ελένη";
    for (values, flatten) in [
        (json!({"name": name, "address.city": "Lyon"}), false),
        (json!({"name": name}), true),
    ] {
        let (s, v) = json_call(
            &app,
            "/api/v1/pdf/forms/fill",
            json!({"data": b64(&form), "values": values, "flatten": flatten, "response": "json"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let filled = unb64(v["data"].as_str().unwrap());
        assert_qpdf_clean(&filled);
        assert!(
            ink(&filled, 72, 72, 228, 20) > 30,
            "the value is drawn in its box (flatten {flatten})"
        );
        if flatten {
            let text = page_texts(&filled).join(" ");
            let flat: String = text.split_whitespace().collect();
            assert!(
                flat.contains("张伟") && flat.contains("Иван") && flat.contains("Ελένη"),
                "{text}"
            );
        }
    }
    // Bulk copies typeset each distinct value once.
    let items = json!([{"name": "김민준"}, {"name": "Ada"}, {"name": "김민준"}]);
    let (s, _, b) = raw(
        &app,
        "/api/v1/pdf/forms/fill",
        "application/json",
        json!({"data": b64(&form), "items": items, "output": "merged"})
            .to_string()
            .into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let pages = page_texts(&b);
    assert_eq!(pages.len(), 3);
    assert!(
        pages[0].contains("김민준") && pages[1].contains("Ada") && pages[2].contains("김민준"),
        "{pages:?}"
    );
}
