//! NumPy and SciPy reference values (`testdata/generate.py` → `testdata/reference.json`): every
//! result agrees to a relative 1e-9 (absolute for values near zero).

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use flowforge_math::stats::{PercentileMethod, describe};
use flowforge_math::{hypothesis, matrix};
use serde_json::Value;

fn reference() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/reference.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn vecf(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(vecf).collect()
}

#[track_caller]
fn close(got: f64, want: f64, what: &str) {
    let tol = 1e-9 * want.abs().max(1e-6);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, NumPy/SciPy {want}"
    );
}

#[test]
fn describe_agrees_with_numpy_and_scipy() {
    for case in reference()["describe"].as_array().unwrap() {
        let x = vecf(&case["values"]);
        let d = describe(&x, &[], PercentileMethod::Linear).unwrap();
        close(d.mean, f(&case["mean"]), "mean");
        close(d.sum, f(&case["sum"]), "sum");
        close(d.median, f(&case["median"]), "median");
        close(d.variance.unwrap(), f(&case["variance"]), "variance");
        close(d.std.unwrap(), f(&case["std"]), "std");
        close(
            d.population_variance,
            f(&case["populationVariance"]),
            "populationVariance",
        );
        close(d.population_std, f(&case["populationStd"]), "populationStd");
        close(d.skewness.unwrap(), f(&case["skewness"]), "skewness");
        close(d.kurtosis.unwrap(), f(&case["kurtosis"]), "kurtosis");
        close(d.mode, f(&case["mode"]), "mode");
        if let Some(g) = case["geometricMean"].as_f64() {
            close(d.geometric_mean.unwrap(), g, "geometricMean");
            close(
                d.harmonic_mean.unwrap(),
                f(&case["harmonicMean"]),
                "harmonicMean",
            );
        } else {
            assert_eq!(d.geometric_mean, None);
        }
        let pct = vecf(&case["pct"]);
        for (name, want) in case["percentiles"].as_object().unwrap() {
            let method: PercentileMethod = name.parse().unwrap();
            let d = describe(&x, &pct, method).unwrap();
            for (pc, w) in d.percentiles.iter().zip(vecf(want)) {
                close(
                    pc.value,
                    w,
                    &format!("percentile {} ({name}) of {} values", pc.p, x.len()),
                );
            }
        }
    }
}

#[test]
fn t_tests_agree_with_scipy() {
    for case in reference()["ttest"].as_array().unwrap() {
        let (a, b) = (vecf(&case["a"]), vecf(&case["b"]));
        let check = |t: hypothesis::TTest, want: &Value, what: &str| {
            let w = vecf(want);
            close(t.statistic, w[0], &format!("{what} statistic"));
            close(t.p_value, w[1], &format!("{what} p-value"));
            close(t.df, w[2], &format!("{what} df"));
        };
        check(hypothesis::welch(&a, &b).unwrap(), &case["welch"], "welch");
        check(
            hypothesis::one_sample(&a, f(&case["mu"])).unwrap(),
            &case["oneSample"],
            "one-sample",
        );
        let m = a.len().min(b.len());
        check(
            hypothesis::paired(&a[..m], &b[..m]).unwrap(),
            &case["paired"],
            "paired",
        );
    }
}

#[test]
fn matrices_agree_with_numpy() {
    for case in reference()["matrix"].as_array().unwrap() {
        let a = matrix::parse("a", &rows(&case["a"]), 2000).unwrap();
        let b = matrix::parse("b", &rows(&case["b"]), 2000).unwrap();
        let n = a.nrows();
        let prod = matrix::rows(&matrix::multiply(&a, &b).unwrap());
        let inv = matrix::rows(&matrix::inverse(&a).unwrap());
        for (i, (pr, ir)) in rows(&case["product"])
            .iter()
            .zip(rows(&case["inverse"]))
            .enumerate()
        {
            for j in 0..n {
                close(prod[i][j], pr[j], &format!("product[{i}][{j}] ({n}×{n})"));
                close(inv[i][j], ir[j], &format!("inverse[{i}][{j}] ({n}×{n})"));
            }
        }
        close(
            matrix::determinant(&a).unwrap(),
            f(&case["det"]),
            &format!("det ({n}×{n})"),
        );
        let x = matrix::solve(&a, &vecf(&case["v"])).unwrap();
        for (g, w) in x.iter().zip(vecf(&case["solve"])) {
            close(*g, w, &format!("solve ({n}×{n})"));
        }
    }
}

#[test]
fn distributions_agree_with_scipy() {
    use flowforge_math::dist::{Family, Function, compute};
    let mut worst: Vec<String> = Vec::new();
    for case in reference()["distributions"].as_array().unwrap() {
        let family: Family = case["family"].as_str().unwrap().parse().unwrap();
        let params = case["params"].as_object().unwrap();
        for (func, arg) in [("pdf", "x"), ("cdf", "x"), ("sf", "x"), ("quantile", "q")] {
            let f: Function = func.parse().unwrap();
            let got = compute(family, params, f, &vecf(&case[arg])).unwrap();
            for (g, w) in got.iter().zip(vecf(&case[func])) {
                // Quantiles are found by inverting the cdf numerically: 1e-9 relative too.
                let tol = 1e-9 * w.abs().max(1e-6);
                if (g - w).abs() > tol {
                    worst.push(format!("{family} {func}: got {g}, SciPy {w}"));
                }
            }
        }
    }
    assert!(
        worst.is_empty(),
        "{} disagreements:\n{}",
        worst.len(),
        worst.join("\n")
    );
}

#[test]
fn histograms_match_numpy_for_counts_and_rules() {
    use flowforge_math::stats::{Bins, histogram};
    for case in reference()["histogram"].as_array().unwrap() {
        let x = vecf(&case["values"]);
        for (key, want) in case.as_object().unwrap() {
            if key == "values" {
                continue;
            }
            let bins = match key.parse::<usize>() {
                Ok(n) => Bins::Count(n),
                Err(_) => Bins::Rule(key.parse().unwrap()),
            };
            let (edges, counts) = histogram(&x, &bins).unwrap();
            let want_counts: Vec<u64> = want["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .collect();
            assert_eq!(
                counts,
                want_counts,
                "counts, bins={key}, {} values",
                x.len()
            );
            for (g, w) in edges.iter().zip(vecf(&want["edges"])) {
                close(*g, w, &format!("edge, bins={key}"));
            }
        }
    }
}

#[test]
fn correlations_and_zscores_agree_with_scipy() {
    use flowforge_math::stats::{pearson, spearman, zscores};
    for case in reference()["correlation"].as_array().unwrap() {
        let (x, y) = (vecf(&case["x"]), vecf(&case["y"]));
        let (r, p) = pearson(&x, &y).unwrap();
        let w = vecf(&case["pearson"]);
        close(r, w[0], "pearson r");
        close(p, w[1], "pearson p");
        let (r, p) = spearman(&x, &y).unwrap();
        let w = vecf(&case["spearman"]);
        close(r, w[0], "spearman rho");
        close(p, w[1], "spearman p");
        for (g, w) in zscores(&x, 0).unwrap().iter().zip(vecf(&case["zscores"])) {
            close(*g, w, "zscore");
        }
    }
}

#[test]
fn regressions_agree_with_numpy_least_squares() {
    use flowforge_math::regression::{Model, fit};
    for case in reference()["regression"].as_array().unwrap() {
        let model: Model = case["model"].as_str().unwrap().parse().unwrap();
        let x = rows(&case["x"]);
        let y = vecf(&case["y"]);
        let degree = case["degree"].as_u64().unwrap_or(1) as usize;
        let fitted = fit(model, &x, &y, degree).unwrap();
        for (name, got, want) in [
            (
                "coefficient",
                fitted.coefficients.clone(),
                vecf(&case["coefficients"]),
            ),
            (
                "standard error",
                fitted.standard_errors.clone(),
                vecf(&case["standardErrors"]),
            ),
            (
                "residual",
                fitted.residuals.clone(),
                vecf(&case["residuals"]),
            ),
        ] {
            for (g, w) in got.iter().zip(&want) {
                // Residuals are differences of nearly equal numbers: compare on the scale of y.
                let scale = if name == "residual" {
                    1.0
                } else {
                    w.abs().max(1e-6)
                };
                assert!(
                    (g - w).abs() <= 1e-9 * scale,
                    "{model} {name}: got {g}, NumPy {w}"
                );
            }
        }
        close(
            fitted.r_squared,
            f(&case["rSquared"]),
            &format!("{model} r²"),
        );
        close(
            fitted.adjusted_r_squared,
            f(&case["adjustedRSquared"]),
            &format!("{model} adjusted r²"),
        );
    }
}

#[test]
fn moving_averages_and_covariance_agree_with_pandas_and_numpy() {
    use flowforge_math::stats::{covariance, ema, sma};
    let r = reference();
    let x = vecf(&r["moving"]["values"]);
    for (g, w) in sma(&x, 5).unwrap().iter().zip(vecf(&r["moving"]["sma5"])) {
        close(*g, w, "sma");
    }
    for (g, w) in ema(&x, 0.3)
        .unwrap()
        .iter()
        .zip(vecf(&r["moving"]["ema03"]))
    {
        close(*g, w, "ema");
    }
    let c = covariance(&rows(&r["covariance"]["data"])).unwrap();
    for (gr, wr) in c.iter().zip(rows(&r["covariance"]["cov"])) {
        for (g, w) in gr.iter().zip(wr) {
            close(*g, w, "covariance");
        }
    }
}

#[test]
fn chi_square_and_anova_agree_with_scipy() {
    use flowforge_math::hypothesis::{anova, chi_square_gof, chi_square_independence};
    let r = &reference()["chi2"];
    let obs = vecf(&r["observed"]);
    let t = chi_square_gof(&obs, None).unwrap();
    close(t.statistic, f(&r["uniform"][0]), "gof uniform statistic");
    close(t.p_value, f(&r["uniform"][1]), "gof uniform p");
    let t = chi_square_gof(&obs, Some(&vecf(&r["expected"]))).unwrap();
    close(t.statistic, f(&r["given"][0]), "gof statistic");
    close(t.p_value, f(&r["given"][1]), "gof p");
    for (table, want) in [("t2", "t2r"), ("t3", "t3r")] {
        let t = chi_square_independence(&rows(&r[table]), true).unwrap();
        close(t.statistic, f(&r[want][0]), &format!("{table} statistic"));
        close(t.p_value, f(&r[want][1]), &format!("{table} p"));
        close(t.df, f(&r[want][2]), &format!("{table} dof"));
    }
    let t = anova(&rows(&r["groups"])).unwrap();
    close(t.statistic, f(&r["anova"][0]), "anova F");
    close(t.p_value, f(&r["anova"][1]), "anova p");
}

#[test]
fn mann_whitney_agrees_with_scipy_exact_and_asymptotic() {
    for case in reference()["mannwhitney"].as_array().unwrap() {
        let (u, p, method) =
            flowforge_math::hypothesis::mann_whitney(&vecf(&case["a"]), &vecf(&case["b"])).unwrap();
        close(u, f(&case["u"]), &format!("U ({method})"));
        close(p, f(&case["p"]), &format!("p ({method})"));
    }
}

#[test]
fn shapiro_wilk_agrees_with_scipy() {
    for case in reference()["shapiro"].as_array().unwrap() {
        let x = vecf(&case["x"]);
        let (w, p) = flowforge_math::hypothesis::shapiro_wilk(&x).unwrap();
        close(w, f(&case["w"]), &format!("W (n = {})", x.len()));
        close(p, f(&case["p"]), &format!("p (n = {})", x.len()));
    }
}

#[test]
fn kendall_agrees_with_scipy_exact_and_with_ties() {
    for case in reference()["kendall"].as_array().unwrap() {
        let (tau, p, method) =
            flowforge_math::stats::kendall(&vecf(&case["x"]), &vecf(&case["y"])).unwrap();
        close(tau, f(&case["tau"]), &format!("tau ({method})"));
        close(p, f(&case["p"]), &format!("p ({method})"));
    }
}

#[test]
fn decompositions_and_properties_agree_with_numpy() {
    use flowforge_math::linalg::{self, Norm};
    let r = &reference()["linalg"];
    let na = |k: &str| linalg::to_na(&matrix::parse(k, &rows(&r[k]), 100).unwrap());
    let (a, rk, s, g) = (na("A"), na("R"), na("S"), na("G"));
    assert_eq!(linalg::rank(&a), r["rankA"].as_u64().unwrap() as usize);
    assert_eq!(linalg::rank(&rk), r["rankR"].as_u64().unwrap() as usize);
    for (name, want) in r["norms"].as_object().unwrap() {
        close(
            linalg::norm(&a, name.parse::<Norm>().unwrap()),
            f(want),
            &format!("norm {name}"),
        );
    }
    for (g1, w) in linalg::singular_values(&a).iter().zip(vecf(&r["svA"])) {
        close(*g1, w, "singular value");
    }
    let p = linalg::rows(&linalg::pinv(&rk).unwrap());
    for (gr, wr) in p.iter().zip(rows(&r["pinvR"])) {
        for (g1, w) in gr.iter().zip(wr) {
            assert!((g1 - w).abs() < 1e-9, "pinv: got {g1}, NumPy {w}");
        }
    }
    let (vals, vecs) = linalg::eigh(&s).unwrap();
    for (g1, w) in vals.iter().zip(vecf(&r["eighS"])) {
        close(*g1, w, "eigh value");
    }
    // S·v = λ·v for each eigenvector.
    for (j, l) in vals.iter().enumerate() {
        let v = vecs.column(j);
        assert!((&s * v - v * *l).norm() < 1e-9 * l.abs().max(1.0));
    }
    for (gr, wr) in linalg::rows(&linalg::cholesky(&s).unwrap())
        .iter()
        .zip(rows(&r["cholS"]))
    {
        for (g1, w) in gr.iter().zip(wr) {
            assert!(
                (g1 - w).abs() <= 1e-9 * w.abs().max(1.0),
                "cholesky: got {g1}, NumPy {w}"
            );
        }
    }
    let mut ev = linalg::eigvals(&g).unwrap();
    ev.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    for (got, want) in ev.iter().zip(rows(&r["eigG"])) {
        assert!(
            (got.0 - want[0]).abs() < 1e-9 && (got.1 - want[1]).abs() < 1e-9,
            "eig: {got:?} vs {want:?}"
        );
    }
    let (pm, l, u) = linalg::lu(&a).unwrap();
    assert!((&pm * &a - &l * &u).norm() < 1e-12 * a.norm());
    let (q, rr) = linalg::qr(&a);
    assert!((&q * &rr - &a).norm() < 1e-12 * a.norm());
    let (uu, sv, vt) = linalg::svd(&a).unwrap();
    let sm = nalgebra::DMatrix::from_diagonal(&nalgebra::DVector::from_vec(sv));
    assert!((&uu * sm * &vt - &a).norm() < 1e-12 * a.norm());
    close(a.trace(), f(&r["traceA"]), "trace");
    assert!(linalg::cholesky(&a).is_err());
}

#[test]
fn general_eigenvectors_agree_with_numpy_up_to_phase() {
    use flowforge_math::linalg;
    use nalgebra::Complex;
    for (case_no, case) in reference()["eig"].as_array().unwrap().iter().enumerate() {
        let m = linalg::to_na(&matrix::parse("m", &rows(&case["m"]), 100).unwrap());
        let n = m.nrows();
        let (values, vectors) = linalg::eig(&m).unwrap();
        let want: Vec<Complex<f64>> = rows(&case["values"])
            .iter()
            .map(|p| Complex::new(p[0], p[1]))
            .collect();
        let (vre, vim) = (rows(&case["vre"]), rows(&case["vim"]));
        let scale = m.abs().max().max(1.0);
        let mc = m.map(|x| Complex::new(x, 0.0));
        for (k, lambda) in values.iter().enumerate() {
            let v = vectors.column(k);
            // A v = λ v, and |v| = 1.
            let resid = (&mc * v - v * *lambda).norm();
            assert!(resid < 1e-10 * scale, "case {case_no}: residual {resid}");
            assert!((v.norm() - 1.0).abs() < 1e-12);
            // The matching NumPy eigenvalue; for a simple one the vectors agree up to a phase.
            let same: Vec<usize> = (0..n)
                .filter(|&j| (want[j] - lambda).norm() < 1e-9 * scale)
                .collect();
            assert!(
                !same.is_empty(),
                "case {case_no}: {lambda} not among {want:?}"
            );
            if same.len() == 1 {
                let j = same[0];
                let np: Vec<Complex<f64>> =
                    (0..n).map(|i| Complex::new(vre[i][j], vim[i][j])).collect();
                let dot: Complex<f64> = np.iter().zip(v.iter()).map(|(a, b)| a.conj() * b).sum();
                assert!(
                    (dot.norm() - 1.0).abs() < 1e-9,
                    "case {case_no}: eigenvector of {lambda} differs from NumPy's (|<a,b>| = {})",
                    dot.norm()
                );
            }
        }
        // Vectors of a repeated eigenvalue are independent where NumPy's are.
        let rank = |vs: &nalgebra::DMatrix<Complex<f64>>| {
            let s = vs.clone().svd(false, false).singular_values;
            s.iter().filter(|x| **x > 1e-8).count()
        };
        let npv = nalgebra::DMatrix::from_fn(n, n, |i, j| Complex::new(vre[i][j], vim[i][j]));
        assert_eq!(
            rank(&vectors),
            rank(&npv),
            "case {case_no}: rank of the eigenvectors"
        );
    }
}

#[test]
fn least_squares_agrees_with_numpy_lstsq() {
    for (i, case) in reference()["lstsq"].as_array().unwrap().iter().enumerate() {
        let a = matrix::parse("a", &rows(&case["a"]), 100).unwrap();
        let l = matrix::lstsq(&a, &vecf(&case["b"])).unwrap();
        let (x, residuals, rank, sv) = (l.x, l.residuals, l.rank, l.singular_values);
        assert_eq!(
            rank,
            case["rank"].as_u64().unwrap() as usize,
            "case {i}: rank"
        );
        for (g, w) in x.iter().zip(vecf(&case["x"])) {
            assert!(
                (g - w).abs() <= 1e-9 * w.abs().max(1.0),
                "case {i}: x {g} vs {w}"
            );
        }
        for (g, w) in sv.iter().zip(vecf(&case["sv"])) {
            assert!(
                (g - w).abs() <= 1e-9 * w.abs().max(1.0),
                "case {i}: sv {g} vs {w}"
            );
        }
        match (residuals, case["residuals"].as_f64()) {
            (Some(g), Some(w)) => close(g, w, &format!("case {i}: residuals")),
            (None, None) => {}
            (g, w) => panic!("case {i}: residuals {g:?} vs NumPy {w:?}"),
        }
    }
}
