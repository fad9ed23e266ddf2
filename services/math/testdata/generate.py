"""Reference values for the math service's tests, from NumPy and SciPy.

    python3 services/math/testdata/generate.py > services/math/testdata/reference.json

Needs numpy, scipy and pandas (pip install numpy scipy pandas).

The inputs are fixed (seeded), so re-running gives the same file for the same NumPy/SciPy.
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261124)
methods = ["linear", "lower", "higher", "nearest", "midpoint", "hazen", "weibull",
           "median_unbiased", "normal_unbiased", "interpolated_inverted_cdf"]
out = {"numpy": np.__version__, "scipy": __import__("scipy").__version__, "describe": [], "ttest": [], "matrix": []}

samples = [
    [1, 2, 3, 4],
    [2.5, -1.25, 3.75, 10.0, 0.5, 2.5, 7.125],
    rng.normal(100, 15, 1001).tolist(),
    rng.exponential(3.0, 250).tolist(),
    rng.integers(0, 10, 97).astype(float).tolist(),
]
for x in samples:
    a = np.asarray(x)
    pct = [0, 5, 12.5, 25, 50, 66.6, 90, 99, 100]
    out["describe"].append({
        "values": x,
        "mean": float(a.mean()), "sum": float(a.sum()), "median": float(np.median(a)),
        "variance": float(a.var(ddof=1)), "std": float(a.std(ddof=1)),
        "populationVariance": float(a.var()), "populationStd": float(a.std()),
        "skewness": float(stats.skew(a)), "kurtosis": float(stats.kurtosis(a)),
        "mode": float(stats.mode(a, keepdims=False).mode),
        "geometricMean": float(stats.gmean(a)) if (a > 0).all() else None,
        "harmonicMean": float(stats.hmean(a)) if (a > 0).all() else None,
        "percentiles": {m: [float(np.percentile(a, p, method=m)) for p in pct] for m in methods},
        "pct": pct,
    })

for n1, n2 in [(5, 6), (30, 25), (200, 180)]:
    a = rng.normal(0, 1, n1)
    b = rng.normal(0.3, 2, n2)
    w = stats.ttest_ind(a, b, equal_var=False)
    o = stats.ttest_1samp(a, 0.1)
    m = min(n1, n2)
    p = stats.ttest_rel(a[:m], b[:m])
    out["ttest"].append({
        "a": a.tolist(), "b": b.tolist(), "mu": 0.1,
        "welch": [float(w.statistic), float(w.pvalue), float(w.df)],
        "oneSample": [float(o.statistic), float(o.pvalue), float(o.df)],
        "paired": [float(p.statistic), float(p.pvalue), float(p.df)],
    })

for n in [2, 3, 7, 40]:
    a = rng.normal(0, 1, (n, n))
    b = rng.normal(0, 1, (n, n))
    v = rng.normal(0, 1, n)
    out["matrix"].append({
        "a": a.tolist(), "b": b.tolist(), "v": v.tolist(),
        "product": (a @ b).tolist(), "det": float(np.linalg.det(a)),
        "inverse": np.linalg.inv(a).tolist(), "solve": np.linalg.solve(a, v).tolist(),
    })

qs = [0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999]
cont = [
    ("normal", {"mean": 1.5, "std": 2.0}, stats.norm(1.5, 2.0), [-3, -0.5, 0, 1.5, 2.25, 7]),
    ("lognormal", {"mu": 0.3, "sigma": 0.8}, stats.lognorm(0.8, scale=np.exp(0.3)), [0.05, 0.5, 1, 2.5, 9]),
    ("t", {"df": 7}, stats.t(7), [-4, -1, 0, 0.7, 2.5]),
    ("chisquare", {"df": 5}, stats.chi2(5), [0.1, 1, 4.35, 11, 20]),
    ("f", {"dfn": 4, "dfd": 12}, stats.f(4, 12), [0.05, 0.5, 1, 3.26, 8]),
    ("exponential", {"rate": 0.7}, stats.expon(scale=1 / 0.7), [0.01, 0.5, 1.4, 6]),
    ("uniform", {"a": -1, "b": 3}, stats.uniform(-1, 4), [-0.5, 0, 2.9]),
    ("beta", {"a": 2.5, "b": 4}, stats.beta(2.5, 4), [0.01, 0.2, 0.5, 0.93]),
    ("gamma", {"shape": 3.2, "scale": 1.7}, stats.gamma(3.2, scale=1.7), [0.1, 2, 5.4, 15]),
]
disc = [
    ("binomial", {"n": 20, "p": 0.3}, stats.binom(20, 0.3), [0, 3, 6, 11, 20]),
    ("poisson", {"lambda": 4.5}, stats.poisson(4.5), [0, 2, 4, 9, 15]),
    ("geometric", {"p": 0.25}, stats.geom(0.25), [1, 2, 5, 12]),
]
out["distributions"] = []
for name, params, d, xs in cont:
    out["distributions"].append({"family": name, "params": params, "x": xs, "q": qs,
        "pdf": d.pdf(xs).tolist(), "cdf": d.cdf(xs).tolist(), "sf": d.sf(xs).tolist(), "quantile": d.ppf(qs).tolist()})
for name, params, d, xs in disc:
    out["distributions"].append({"family": name, "params": params, "x": xs, "q": qs,
        "pdf": d.pmf(xs).tolist(), "cdf": d.cdf(xs).tolist(), "sf": d.sf(xs).tolist(), "quantile": d.ppf(qs).tolist()})

out["histogram"] = []
for x in samples[1:]:
    a = np.asarray(x)
    h = {"values": x}
    for bins in [1, 4, 10, "auto", "fd", "sturges", "sqrt", "rice", "scott"]:
        c, e = np.histogram(a, bins=bins)
        h[str(bins)] = {"counts": c.tolist(), "edges": e.tolist()}
    out["histogram"].append(h)
    
out["correlation"] = []
for n in [5, 40, 300]:
    x = rng.normal(0, 1, n)
    y = 0.6 * x + rng.normal(0, 1, n)
    y[: n // 5] = np.round(y[: n // 5], 1)  # some ties for the rank-based ones
    pr = stats.pearsonr(x, y)
    sr = stats.spearmanr(x, y)
    out["correlation"].append({"x": x.tolist(), "y": y.tolist(),
        "pearson": [float(pr.statistic), float(pr.pvalue)], "spearman": [float(sr.statistic), float(sr.pvalue)],
        "zscores": stats.zscore(x).tolist()})

def ols(X, y):
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    res = y - X @ beta
    n, p = X.shape
    s2 = res @ res / (n - p)
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    r2 = 1 - (res @ res) / ((y - y.mean()) @ (y - y.mean()))
    return {"coefficients": beta.tolist(), "standardErrors": se.tolist(), "rSquared": float(r2),
            "adjustedRSquared": float(1 - (1 - r2) * (n - 1) / (n - p)), "residuals": res.tolist()}

out["regression"] = []
x1 = np.linspace(1, 10, 25)
y1 = 3 + 2 * x1 + rng.normal(0, 0.5, 25)
out["regression"].append({"model": "linear", "x": [[v] for v in x1], "y": y1.tolist(), **ols(np.column_stack([np.ones(25), x1]), y1)})
X2 = rng.normal(0, 1, (40, 3))
y2 = 1 + X2 @ np.array([0.5, -2, 3]) + rng.normal(0, 0.3, 40)
out["regression"].append({"model": "linear", "x": X2.tolist(), "y": y2.tolist(), **ols(np.column_stack([np.ones(40), X2]), y2)})
y3 = 1 - 0.5 * x1 + 0.25 * x1 ** 2 - 0.01 * x1 ** 3 + rng.normal(0, 0.2, 25)
out["regression"].append({"model": "polynomial", "degree": 3, "x": [[v] for v in x1], "y": y3.tolist(), **ols(np.vander(x1, 4, increasing=True), y3)})
y4 = 2 * np.exp(0.3 * x1) * np.exp(rng.normal(0, 0.05, 25))
out["regression"].append({"model": "exponential", "x": [[v] for v in x1], "y": y4.tolist(), **ols(np.column_stack([np.ones(25), x1]), np.log(y4))})
y5 = 1 + 3 * np.log(x1) + rng.normal(0, 0.1, 25)
out["regression"].append({"model": "logarithmic", "x": [[v] for v in x1], "y": y5.tolist(), **ols(np.column_stack([np.ones(25), np.log(x1)]), y5)})
y6 = 1.5 * x1 ** 0.7 * np.exp(rng.normal(0, 0.05, 25))
out["regression"].append({"model": "power", "x": [[v] for v in x1], "y": y6.tolist(), **ols(np.column_stack([np.ones(25), np.log(x1)]), np.log(y6))})

import pandas as pd  # noqa: E402  (only for the moving-average conventions)
xs = rng.normal(10, 3, 60)
out["moving"] = {"values": xs.tolist(), "sma5": pd.Series(xs).rolling(5).mean().dropna().tolist(),
                 "ema03": pd.Series(xs).ewm(alpha=0.3, adjust=False).mean().tolist()}
D = rng.normal(0, 1, (50, 4)) @ rng.normal(0, 1, (4, 4))
out["covariance"] = {"data": D.tolist(), "cov": np.cov(D, rowvar=False).tolist()}

obs = rng.integers(5, 40, 6).astype(float)
exp = rng.uniform(5, 40, 6); exp = exp / exp.sum() * obs.sum()
t2 = [[12, 5], [7, 15]]
t3 = rng.integers(3, 30, (3, 4)).astype(float)
groups = [rng.normal(m, 1.5, n).tolist() for m, n in [(5, 8), (6, 10), (5.5, 7)]]
g1, g2 = stats.chisquare(obs), stats.chisquare(obs, exp)
i2, i3 = stats.chi2_contingency(t2), stats.chi2_contingency(t3)
fa = stats.f_oneway(*groups)
out["chi2"] = {"observed": obs.tolist(), "expected": exp.tolist(),
    "uniform": [float(g1.statistic), float(g1.pvalue)], "given": [float(g2.statistic), float(g2.pvalue)],
    "t2": t2, "t2r": [float(i2.statistic), float(i2.pvalue), float(i2.dof)],
    "t3": t3.tolist(), "t3r": [float(i3.statistic), float(i3.pvalue), float(i3.dof)],
    "groups": groups, "anova": [float(fa.statistic), float(fa.pvalue)]}

out["mannwhitney"] = []
for a, b in [([1.1, 2.3, 0.4, 5.2, 3.3], [4.4, 6.1, 5.9, 7.0, 2.2, 8.8]),
             (rng.normal(0, 1, 30).tolist(), rng.normal(0.5, 1, 25).tolist()),
             ([1, 2, 2, 3, 3, 3, 4], [3, 4, 4, 5, 5, 6])]:
    m = stats.mannwhitneyu(a, b)
    out["mannwhitney"].append({"a": a, "b": b, "u": float(m.statistic), "p": float(m.pvalue)})

out["kendall"] = []
for x, y in [(rng.normal(0, 1, 12).tolist(), rng.normal(0, 1, 12).tolist()),
             (rng.normal(0, 1, 60).tolist(), rng.normal(0, 1, 60).tolist()),
             ([1, 2, 2, 3, 4, 4, 5, 6], [2, 1, 3, 3, 5, 4, 6, 6])]:
    k = stats.kendalltau(x, y)
    out["kendall"].append({"x": x, "y": y, "tau": float(k.statistic), "p": float(k.pvalue)})

A = rng.normal(0, 1, (5, 5))
R = rng.normal(0, 1, (4, 2)) @ rng.normal(0, 1, (2, 3))  # rank 2
S = A @ A.T + 5 * np.eye(5)                               # symmetric positive definite
G = np.array([[0.0, -2.0, 1.0], [1.0, 0.0, 0.5], [0.0, 0.3, 1.0]])  # complex eigenvalues
out["linalg"] = {
    "A": A.tolist(), "R": R.tolist(), "S": S.tolist(), "G": G.tolist(),
    "rankA": int(np.linalg.matrix_rank(A)), "rankR": int(np.linalg.matrix_rank(R)),
    "norms": {k: float(np.linalg.norm(A, ord=o)) for k, o in [("fro", "fro"), ("1", 1), ("inf", np.inf), ("2", 2), ("nuc", "nuc")]},
    "pinvR": np.linalg.pinv(R).tolist(), "svR": np.linalg.svd(R, compute_uv=False).tolist(),
    "svA": np.linalg.svd(A, compute_uv=False).tolist(), "traceA": float(np.trace(A)),
    "eighS": np.linalg.eigvalsh(S).tolist(), "cholS": np.linalg.cholesky(S).tolist(),
    "eigG": sorted([[float(z.real), float(z.imag)] for z in np.linalg.eigvals(G)]),
}

out["shapiro"] = []
for x in [[2.1, 3.4, 1.9], [1.0, 2.0, 4.0], [1.0, 2.0, 3.0, 10.0], rng.normal(0, 1, 5).tolist(),
          rng.gamma(2.0, 1.0, 6).tolist(), rng.normal(5, 2, 11).tolist(), rng.normal(0, 1, 12).tolist(),
          rng.exponential(1.0, 50).tolist(), rng.normal(0, 1, 200).tolist(),
          rng.uniform(0, 1, 1000).tolist(), [1, 1, 1, 2, 2, 2, 3, 3, 3, 9]]:
    sw = stats.shapiro(x)
    out["shapiro"].append({"x": x, "w": float(sw.statistic), "p": float(sw.pvalue)})

out["eig"] = []
for M in [G, A, rng.normal(0, 1, (8, 8)), np.diag([2.0, 2.0, 3.0]),
          np.array([[0.0, 1.0], [-1.0, 0.0]]), np.array([[4.0, 1.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 1.0]])]:
    w, v = np.linalg.eig(M)
    out["eig"].append({"m": M.tolist(),
                       "values": [[float(z.real), float(z.imag)] for z in w],
                       "vre": v.real.tolist(), "vim": v.imag.tolist() if np.iscomplexobj(v) else np.zeros_like(v).tolist()})

out["lstsq"] = []
for M, rhs in [(rng.normal(0, 1, (8, 3)), rng.normal(0, 1, 8)), (R, rng.normal(0, 1, 4)),
               (rng.normal(0, 1, (2, 4)), rng.normal(0, 1, 2)), (np.array([[1.0, 1], [1, 2], [1, 3]]), np.array([1.0, 2, 2]))]:
    x, res, rank, sv = np.linalg.lstsq(M, rhs, rcond=None)
    out["lstsq"].append({"a": M.tolist(), "b": rhs.tolist(), "x": x.tolist(),
                         "residuals": float(res[0]) if len(res) else None, "rank": int(rank), "sv": sv.tolist()})

print(json.dumps(out))
