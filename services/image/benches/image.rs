//! Criterion benchmarks of the image service's hot paths, on a 2000 × 1500 photo-like JPEG made
//! here: scaled decode (shrink-on-load) against a full decode, the Lanczos resize, the JPEG and
//! WebP encoders, and a resize-to-JPEG request's whole CPU work. Sharp's figures for the same
//! tasks over HTTP are in docs/performance.md (bench/image-http.sh).

#![allow(missing_docs)] // criterion_group! generates an undocumented function
#![allow(clippy::unwrap_used)] // fixed, valid inputs

use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use flowforge_image::decode::{self, Limits};
use flowforge_image::encode::{self, OutFormat, Output};
use flowforge_image::ops::{self, ResizeOpts};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

fn photo() -> Vec<u8> {
    let mut x = 7u32;
    let img = RgbImage::from_fn(2000, 1500, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 13) as f32;
        let f = |v: f32| v.clamp(0.0, 255.0) as u8;
        Rgb([
            f(120.0 + 80.0 * (i as f32 / 150.0).sin() * (j as f32 / 205.0).cos() + n),
            f(110.0 + 70.0 * (i as f32 / 260.0).cos() + n),
            f(100.0 + 60.0 * (j as f32 / 130.0).sin() + n),
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

fn paths(c: &mut Criterion) {
    let jpeg = photo();
    let lim = Limits {
        max_pixels: u64::MAX,
        max_output_pixels: u64::MAX,
    };
    let to400 = ResizeOpts {
        width: Some(400),
        ..ResizeOpts::default()
    };
    let mut g = c.benchmark_group("image-2000x1500");
    g.sample_size(20);
    g.bench_function("decode full", |b| {
        b.iter(|| decode::decode(&jpeg, None, &lim, true, &|_, _| None).unwrap())
    });
    g.bench_function("decode for 400 wide (1/4 scale)", |b| {
        b.iter(|| {
            decode::decode(&jpeg, None, &lim, true, &|w, h| {
                ops::resize_target(&to400, w, h)
            })
            .unwrap()
        })
    });
    let full = decode::decode(&jpeg, None, &lim, true, &|_, _| None)
        .unwrap()
        .image;
    g.bench_function("lanczos3 2000 to 400", |b| {
        b.iter(|| ops::resize(full.clone(), &to400, &lim).unwrap())
    });
    let small = ops::resize(full.clone(), &to400, &lim).unwrap();
    g.bench_function("jpeg encode 400x300 q80", |b| {
        b.iter(|| encode::encode(&small, ImageFormat::Jpeg, &Output::default()).unwrap())
    });
    let webp = Output {
        format: Some(OutFormat::Webp),
        ..Output::default()
    };
    g.bench_function("webp encode 400x300 q80", |b| {
        b.iter(|| encode::encode(&small, ImageFormat::Jpeg, &webp).unwrap())
    });
    g.bench_function("resize request (decode, resize, encode)", |b| {
        b.iter(|| {
            let d = decode::decode(&jpeg, None, &lim, true, &|w, h| {
                ops::resize_target(&to400, w, h)
            })
            .unwrap();
            let r = ops::resize(d.image, &to400, &lim).unwrap();
            encode::encode(&r, d.format, &Output::default()).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
