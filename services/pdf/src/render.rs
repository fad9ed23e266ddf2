//! Rendering pages with PDFium, inside a worker process (see `worker`): each page at a DPI or a
//! width, within a pixel limit, encoded as PNG, JPEG or WebP.

use std::io::Cursor;

use image::ImageFormat;
use pdfium_render::prelude::{
    PdfDocument, PdfRenderConfig, Pdfium, PdfiumError, PdfiumInternalError,
};

use crate::worker::{Item, Job, Reply};

pub(crate) fn failed(kind: &str, message: String, page_count: u32) -> (Reply, Vec<u8>) {
    (
        Reply {
            error: Some((kind.into(), message)),
            page_count,
            items: Vec::new(),
            retire: false,
        },
        Vec::new(),
    )
}

/// The PDF `body` opened by PDFium with the job's password, or the reply refusing it.
pub(crate) fn load<'a>(
    pdfium: &'a Pdfium,
    job: &Job,
    body: &'a [u8],
) -> Result<PdfDocument<'a>, (Reply, Vec<u8>)> {
    pdfium
        .load_pdf_from_byte_slice(body, job.password.as_deref())
        .map_err(|e| match e {
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
                failed("password", "is not this PDF's password".into(), 0)
            }
            e => failed("invalid", format!("PDFium cannot read it ({e:?})"), 0),
        })
}

/// Run `job` on the PDF `body` with `pdfium`: the reply and the outputs one after another
/// (images for `render`; one JSON document for `text`).
pub fn run(pdfium: &Pdfium, job: &Job, body: &[u8]) -> (Reply, Vec<u8>) {
    if job.op == "text" {
        return crate::text::run(pdfium, job, body);
    }
    let doc = match load(pdfium, job, body) {
        Ok(d) => d,
        Err(refused) => return refused,
    };
    let pages = doc.pages();
    let count = u32::try_from(pages.len()).unwrap_or(0);
    let mut out = Vec::new();
    let mut items = Vec::new();
    for &i in &job.pages {
        let Ok(index) = i32::try_from(i) else {
            return failed(
                "pages",
                format!("page {} is not in the document", i + 1),
                count,
            );
        };
        let page = match pages.get(index) {
            Ok(p) => p,
            Err(_) => {
                return failed(
                    "pages",
                    format!("page {} is not in the document", i + 1),
                    count,
                );
            }
        };
        let (w_pt, h_pt) = (page.width().value, page.height().value);
        let width = match (job.width, job.dpi) {
            (Some(w), _) => w as f32,
            (None, dpi) => w_pt * dpi.unwrap_or(150.0) / 72.0,
        }
        .round()
        .max(1.0);
        let height = (width * h_pt / w_pt.max(1.0)).round().max(1.0);
        if (width as u64) * (height as u64) > job.max_pixels {
            return failed(
                "pages",
                format!(
                    "page {} would be {width} × {height} pixels, more than {} (PDF_RENDER_MAX_PIXELS); ask for a lower dpi or width",
                    i + 1,
                    job.max_pixels
                ),
                count,
            );
        }
        let config = PdfRenderConfig::new()
            .set_target_width(width as i32)
            .set_maximum_height(height as i32 + 1)
            .render_form_data(true);
        let image = match page.render_with_config(&config).and_then(|b| b.as_image()) {
            Ok(img) => img,
            Err(e) => {
                return failed(
                    "invalid",
                    format!("page {} could not be drawn ({e:?})", i + 1),
                    count,
                );
            }
        };
        let mut buf = Vec::new();
        let encoded = match job.format.as_str() {
            "jpeg" => {
                let rgb = image.to_rgb8();
                let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(
                    Cursor::new(&mut buf),
                    job.quality.clamp(1, 100),
                );
                rgb.write_with_encoder(enc)
            }
            "webp" => image.write_to(&mut Cursor::new(&mut buf), ImageFormat::WebP),
            _ => image.write_to(&mut Cursor::new(&mut buf), ImageFormat::Png),
        };
        if let Err(e) = encoded {
            return failed(
                "invalid",
                format!("page {} could not be encoded ({e})", i + 1),
                count,
            );
        }
        items.push(Item {
            page: i,
            width: image.width(),
            height: image.height(),
            len: buf.len(),
            text_len: 0,
        });
        out.extend_from_slice(&buf);
    }
    (
        Reply {
            error: None,
            page_count: count,
            items,
            retire: false,
        },
        out,
    )
}
