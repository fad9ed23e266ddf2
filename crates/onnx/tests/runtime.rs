//! The runtime from the onnxruntime wheel, loaded and running a real model (fetched once into
//! the target directory, as the PDF tests fetch PDFium).

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::path::PathBuf;

use flowforge_onnx::{environment, library, model, ort, session};
use ort::value::Tensor;

/// The models directory the tests share.
fn models() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_TARGET_TMPDIR"), "/models"))
}

#[test]
fn a_wrong_library_path_says_so() {
    let e = library(&models(), Some("/nonexistent/libonnxruntime.so"), false).unwrap_err();
    assert!(e.0.contains("ORT_DYLIB_PATH"), "{e}");
    let e = model(&models(), "no-such-model.onnx", false).unwrap_err();
    assert!(e.0.contains("not in the model list"), "{e}");
}

/// "HELLO WORLD" in a 5 × 7 bitmap font, each dot `scale` pixels, black on white: (height,
/// width, grey pixels).
fn hello(scale: usize) -> (usize, usize, Vec<u8>) {
    const GLYPHS: &[(char, [&str; 7])] = &[
        (
            'H',
            [
                "#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#",
            ],
        ),
        (
            'E',
            [
                "#####", "#....", "#....", "####.", "#....", "#....", "#####",
            ],
        ),
        (
            'L',
            [
                "#....", "#....", "#....", "#....", "#....", "#....", "#####",
            ],
        ),
        (
            'O',
            [
                ".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.",
            ],
        ),
        (
            'W',
            [
                "#...#", "#...#", "#...#", "#.#.#", "#.#.#", "##.##", "#...#",
            ],
        ),
        (
            'R',
            [
                "####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#",
            ],
        ),
        (
            'D',
            [
                "####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####.",
            ],
        ),
    ];
    let text = "HELLO WORLD";
    let (pad, advance) = (4 * scale, 6 * scale);
    let (w, h) = (2 * pad + advance * text.len(), 2 * pad + 7 * scale);
    // Sides in multiples of 32, as the detector takes them.
    let (w, h) = (w.div_ceil(32) * 32, h.div_ceil(32) * 32);
    let mut px = vec![255u8; w * h];
    for (i, ch) in text.chars().enumerate() {
        let Some((_, rows)) = GLYPHS.iter().find(|(c, _)| *c == ch) else {
            continue;
        };
        for (r, row) in rows.iter().enumerate() {
            for (c, dot) in row.bytes().enumerate() {
                if dot == b'#' {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            let (y, x) = (pad + r * scale + dy, pad + i * advance + c * scale + dx);
                            px[y * w + x] = 0;
                        }
                    }
                }
            }
        }
    }
    (h, w, px)
}

/// The runtime from the onnxruntime wheel runs PP-OCRv6 tiny's detector: a line of printed
/// text on white gives a probability map the image's size, high inside the line and low in
/// the margin around it.
#[test]
fn the_runtime_runs_the_text_detector() {
    let dir = models();
    let lib = library(&dir, None, true).unwrap();
    let env = environment(&lib).unwrap();
    let det = model(&dir, "ppocrv6-tiny-det.onnx", true).unwrap();
    let mut s = session(&env, &det, 1).unwrap();
    let scale = 3;
    let (h, w, grey) = hello(scale);
    // Normalised as the detector wants: (x / 255 - 0.5) / 0.5, three channels.
    let mut data = Vec::with_capacity(3 * h * w);
    for _ in 0..3 {
        data.extend(grey.iter().map(|&g| (f32::from(g) / 255.0 - 0.5) / 0.5));
    }
    let input = Tensor::from_array(([1usize, 3, h, w], data)).unwrap();
    let name = s.inputs()[0].name().to_string();
    let outputs = s.run(ort::inputs![name => input]).unwrap();
    let (shape, map) = outputs[0].try_extract_tensor::<f32>().unwrap();
    let dims: Vec<i64> = shape.iter().copied().collect();
    assert_eq!(dims, vec![1, 1, h as i64, w as i64]);
    assert!(map.iter().all(|p| (0.0..=1.0).contains(p)));
    // The middle of the text line (the third letter's row 4), and the top-left corner.
    let mid_y = 4 * scale + 3 * scale;
    let line: f32 = (4 * scale..4 * scale + 6 * scale * 11)
        .map(|x| map[mid_y * w + x])
        .sum::<f32>()
        / (6 * scale * 11) as f32;
    let corner = map[w + 1];
    assert!(line > 0.3, "inside the line: {line}");
    assert!(corner < 0.1, "in the margin: {corner}");
}
