//! Quadrilaterals and the perspective warp that straightens one into a rectangle.

use image::{Rgb, RgbImage};

/// A point `[x, y]` in pixels.
pub type Pt = [f32; 2];

/// Corners clockwise from the top left: the two with the smallest x are the left side (the
/// higher of them first), as RapidOCR orders them.
pub fn order_clockwise(mut q: [Pt; 4]) -> [Pt; 4] {
    q.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let (l, r) = (&q[..2], &q[2..]);
    let (tl, bl) = if l[0][1] <= l[1][1] {
        (l[0], l[1])
    } else {
        (l[1], l[0])
    };
    let (tr, br) = if r[0][1] <= r[1][1] {
        (r[0], r[1])
    } else {
        (r[1], r[0])
    };
    [tl, tr, br, bl]
}

/// The convex hull of `pts` (Andrew's monotone chain: any order, duplicates allowed),
/// counter-clockwise.
pub fn convex_hull(pts: &[Pt]) -> Vec<Pt> {
    let mut p: Vec<Pt> = pts.to_vec();
    p.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: Pt, a: Pt, b: Pt| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let mut hull: Vec<Pt> = Vec::with_capacity(2 * p.len());
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Pt>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &q in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0
            {
                hull.pop();
            }
            hull.push(q);
        }
        hull.pop();
    }
    hull
}

/// The rectangle of least area around `pts`, as its four corners and its two side lengths
/// (one side lies along a hull edge). `None` for fewer than three distinct points.
pub fn min_area_rect(pts: &[Pt]) -> Option<([Pt; 4], f32, f32)> {
    let hull = convex_hull(pts);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, [Pt; 4], f32, f32)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let len = dist(a, b);
        if len < 1e-6 {
            continue;
        }
        let u = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
        let v = [-u[1], u[0]];
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let d = [p[0] - a[0], p[1] - a[1]];
            let (pu, pv) = (d[0] * u[0] + d[1] * u[1], d[0] * v[0] + d[1] * v[1]);
            u0 = u0.min(pu);
            u1 = u1.max(pu);
            v0 = v0.min(pv);
            v1 = v1.max(pv);
        }
        let area = (u1 - u0) * (v1 - v0);
        if best.as_ref().is_none_or(|b| area < b.0) {
            let at =
                |pu: f32, pv: f32| [a[0] + u[0] * pu + v[0] * pv, a[1] + u[1] * pu + v[1] * pv];
            best = Some((
                area,
                [at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)],
                u1 - u0,
                v1 - v0,
            ));
        }
    }
    best.map(|(_, c, w, h)| (c, w, h))
}

/// The rectangle `corners` (in order around it) with each side moved out by `d`.
pub fn grow(corners: &[Pt; 4], d: f32) -> [Pt; 4] {
    let cx = corners.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = corners.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    let unit = |a: Pt, b: Pt| {
        let l = dist(a, b).max(1e-6);
        [(b[0] - a[0]) / l, (b[1] - a[1]) / l]
    };
    // Axis along the first side and along the second.
    let (u, v) = (unit(corners[0], corners[1]), unit(corners[1], corners[2]));
    corners.map(|p| {
        let su = if (p[0] - cx) * u[0] + (p[1] - cy) * u[1] >= 0.0 {
            1.0
        } else {
            -1.0
        };
        let sv = if (p[0] - cx) * v[0] + (p[1] - cy) * v[1] >= 0.0 {
            1.0
        } else {
            -1.0
        };
        [
            p[0] + d * (su * u[0] + sv * v[0]),
            p[1] + d * (su * u[1] + sv * v[1]),
        ]
    })
}

fn dist(a: Pt, b: Pt) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The homography taking the rectangle `w` × `h` (corners clockwise from the origin) onto `q`,
/// as the 8 coefficients of `x' = (a x + b y + c) / (g x + h y + 1)`, `y' = (d x + e y + f) / (…)`.
fn homography(w: f32, h: f32, q: &[Pt; 4]) -> Option<[f64; 8]> {
    let src = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
    let mut m = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = (f64::from(src[i][0]), f64::from(src[i][1]));
        let (u, v) = (f64::from(q[i][0]), f64::from(q[i][1]));
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v];
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let pivot_row = m[col];
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (v, p) in r.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut out = [0f64; 8];
    for (i, o) in out.iter_mut().enumerate() {
        *o = m[i][8] / m[i][i];
    }
    Some(out)
}

/// The quadrilateral `q` of `img` straightened into a rectangle as wide as its longer
/// horizontal side and as tall as its longer vertical side (bilinear sampling, edges
/// replicated); turned a quarter counter-clockwise when it is 1.5 times taller than wide (a
/// vertical line), as RapidOCR does.
pub fn crop(img: &RgbImage, q: &[Pt; 4]) -> Option<RgbImage> {
    let w = dist(q[0], q[1]).max(dist(q[2], q[3])).round().max(1.0);
    let h = dist(q[0], q[3]).max(dist(q[1], q[2])).round().max(1.0);
    let hm = homography(w, h, q)?;
    let (cw, ch) = (w as u32, h as u32);
    let (iw, ih) = (img.width() as f32, img.height() as f32);
    if iw < 1.0 || ih < 1.0 {
        return None;
    }
    let mut out = RgbImage::new(cw, ch);
    for y in 0..ch {
        for x in 0..cw {
            let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let d = hm[6] * fx + hm[7] * fy + 1.0;
            let sx = ((hm[0] * fx + hm[1] * fy + hm[2]) / d) as f32 - 0.5;
            let sy = ((hm[3] * fx + hm[4] * fy + hm[5]) / d) as f32 - 0.5;
            out.put_pixel(
                x,
                y,
                sample(img, sx.clamp(0.0, iw - 1.0), sy.clamp(0.0, ih - 1.0)),
            );
        }
    }
    if f64::from(ch) / f64::from(cw) >= 1.5 {
        out = image::imageops::rotate270(&out);
    }
    Some(out)
}

fn sample(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = (
        (x0 + 1).min(img.width() - 1),
        (y0 + 1).min(img.height() - 1),
    );
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| img.get_pixel(x, y).0;
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    let mut o = [0u8; 3];
    for i in 0..3 {
        let top = f32::from(a[i]) * (1.0 - fx) + f32::from(b[i]) * fx;
        let bottom = f32::from(c[i]) * (1.0 - fx) + f32::from(d[i]) * fx;
        o[i] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_rectangles_and_growing() {
        // A rotated square's points, in no order, with inside points.
        let pts = [
            [5.0, 0.0],
            [10.0, 5.0],
            [5.0, 10.0],
            [0.0, 5.0],
            [5.0, 5.0],
            [4.0, 6.0],
        ];
        let (c, w, h) = min_area_rect(&pts).unwrap_or(([[0.0; 2]; 4], 0.0, 0.0));
        assert!((w * h - 50.0).abs() < 1e-3, "{c:?} {w} {h}");
        let (c, w, h) =
            min_area_rect(&[[0.0, 0.0], [20.0, 0.0], [20.0, 4.0], [0.0, 4.0], [7.0, 2.0]])
                .unwrap_or(([[0.0; 2]; 4], 0.0, 0.0));
        assert!((w.max(h) - 20.0).abs() < 1e-3 && (w.min(h) - 4.0).abs() < 1e-3);
        let g = order_clockwise(grow(&c, 1.0));
        assert_eq!(g, [[-1.0, -1.0], [21.0, -1.0], [21.0, 5.0], [-1.0, 5.0]]);
    }

    #[test]
    fn corners_are_ordered_and_a_crop_is_the_region() {
        let q = order_clockwise([[10.0, 18.0], [2.0, 8.0], [10.0, 8.0], [2.0, 18.0]]);
        assert_eq!(q, [[2.0, 8.0], [10.0, 8.0], [10.0, 18.0], [2.0, 18.0]]);
        let mut img = RgbImage::from_pixel(20, 30, Rgb([255, 255, 255]));
        for y in 8..18 {
            for x in 2..10 {
                img.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        let c = crop(&img, &q).unwrap_or_else(|| RgbImage::new(1, 1));
        assert_eq!((c.width(), c.height()), (8, 10));
        assert_eq!(c.get_pixel(4, 5).0, [0, 0, 0]);
        // Three times taller than wide: a vertical line, turned a quarter.
        let tall = [[2.0, 2.0], [6.0, 2.0], [6.0, 14.0], [2.0, 14.0]];
        let c = crop(&img, &tall).unwrap_or_else(|| RgbImage::new(1, 1));
        assert_eq!((c.width(), c.height()), (12, 4));
    }
}
