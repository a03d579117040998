"""mlplay's diagnosis equals pandas / numpy / scipy on every bundled dataset: missing
percentages, the target's quartiles, fences and histogram, Pearson correlations (pairwise
complete, as DataFrame.corr), ordinal-coded correlations, and Cramér's V as
scipy.stats.contingency.association(method="cramer", correction=False) — with the support
(rows where both are present) and the reliability rule (at least 30 shared rows, no more
than a fifth of the expected counts, or of the groups, under 5, and for a drop, shared rows
covering half the dropped column's rows) recomputed with pandas."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats.contingency import association, expected_freq

from conftest import DATASETS, NA_VALUES, run_json

MIN_SUPPORT = 30
MAX_LEVELS = 50
TARGETS = {"ames.csv": "SalePrice", "titanic.csv": "survived", "adult.csv": "income",
           "penguins.csv": "species"}


@pytest.fixture(scope="module", params=sorted(TARGETS))
def case(request, mlplay_bin):
    name = request.param
    target = TARGETS[name]
    ours = run_json(mlplay_bin, "analyze", str(DATASETS / name), "--target", target)
    df = pd.read_csv(DATASETS / name, keep_default_na=False, na_values=NA_VALUES,
                     float_precision="round_trip")
    return name, target, ours, df


def same(a, b, tol=1e-9):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or math.isnan(b)
    return abs(a - b) <= tol


def test_missing_percent(case):
    _, _, ours, df = case
    pct = df.isna().mean() * 100
    assert set(ours["missing_percent"]) == set(df.columns)
    for col, p in ours["missing_percent"].items():
        assert same(p, float(pct[col]), 1e-12), col


def test_target_quartiles_fences_and_histogram(case):
    name, target, ours, df = case
    if ours["task"] != "regression":
        pytest.skip("classification target")
    t = ours["target"]
    y = df[target].dropna()
    q1, med, q3 = (float(y.quantile(q)) for q in (0.25, 0.5, 0.75))
    assert (t["q1"], t["median"], t["q3"]) == (q1, med, q3)
    assert same(t["iqr_upper"], q3 + 1.5 * (q3 - q1))
    assert t["outliers_above"] == int((y > q3 + 1.5 * (q3 - q1)).sum())
    counts, edges = np.histogram(y.to_numpy(), bins=30)
    assert t["histogram"]["counts"] == counts.tolist()
    assert all(same(a, b, 1e-6) for a, b in zip(t["histogram"]["edges"], edges.tolist()))


def test_numeric_correlation_matrix_equals_pandas_corr(case):
    _, _, ours, df = case
    m = ours["numeric_correlation"]
    cols = m["columns"]
    if len(cols) < 2:
        pytest.skip("fewer than two numeric features")
    expected = df[cols].corr()
    for i, a in enumerate(cols):
        for j, b in enumerate(cols):
            assert same(m["values"][i][j], float(expected.loc[a, b])), (a, b)


def ordinal(series):
    cats = sorted(series.dropna().astype(str).unique())
    return series.map({c: i for i, c in enumerate(cats)})


def correlation_ratio(x, labels):
    d = pd.DataFrame({"x": x, "g": labels}).dropna()
    means = d.groupby("g")["x"].agg(["mean", "count"])
    between = (means["count"] * (means["mean"] - d["x"].mean()) ** 2).sum()
    total = ((d["x"] - d["x"].mean()) ** 2).sum()
    return math.sqrt(between / total)


def cramer_support(table):
    """(rows where both are present, share of expected counts under 5) of a crosstab."""
    n = int(table.to_numpy().sum())
    e = expected_freq(table.to_numpy())
    return n, float((e < 5).mean())


def test_relations_report_support_and_reliability_as_pandas(case):
    _, target, ours, df = case
    for rel in ours["relations"]:
        col, measure = rel["column"], rel["measure"]
        both = df[[col, target]].dropna()
        assert rel["n"] == len(both), (col, measure)
        value = rel["value"]
        finite = value is not None and not math.isnan(value)
        if measure == "correlation_ratio":
            counts = both.groupby(target)[col].count()
            small = float((counts < 5).mean())
            expected = finite and len(both) >= MIN_SUPPORT and small <= 0.2
        elif measure == "cramers_v":
            _, low = cramer_support(pd.crosstab(df[col], df[target]))
            expected = finite and len(both) >= MIN_SUPPORT and low <= 0.2
        else:
            expected = finite and len(both) >= MIN_SUPPORT
        assert rel["reliable"] == expected, (col, measure, rel)


def test_correlation_with_target_equals_pandas_and_scipy(case):
    _, target, ours, df = case
    assert ours["correlation_with_target"]
    for col, r in ours["correlation_with_target"].items():
        measure = ours["correlation_measure"][col]
        if measure in ("pearson", "pearson_ordinal"):
            x = df[col] if measure == "pearson" else ordinal(df[col])
            expected = float(x.astype(float).corr(df[target]))
        elif measure == "correlation_ratio":
            expected = correlation_ratio(df[col], df[target])
        else:
            table = pd.crosstab(df[col], df[target]).to_numpy()
            expected = association(table, method="cramer", correction=False)
        assert same(r, expected), (col, measure, r, expected)


def test_cramers_v_equals_scipy(case):
    _, target, ours, df = case
    cv = ours["cramers_v"]
    cols = cv["matrix"]["columns"]
    # Categorical features with more than MAX_LEVELS levels are not paired.
    not_features = set(ours["id_like"]) | set(ours["free_text"]) | set(ours["constant"])
    categorical = [c for c in df.columns
                   if c != target and c not in not_features and df[c].dtype == object]
    assert cols == [c for c in categorical if df[c].nunique() <= MAX_LEVELS]
    assert [p["column"] for p in cv["not_paired"]] == \
        [c for c in categorical if df[c].nunique() > MAX_LEVELS]
    listed = {(p["a"], p["b"]): p for p in cv["pairs"]}
    thin = {(p["a"], p["b"]): p for p in cv["unreliable"]}
    checked = 0
    for i, a in enumerate(cols):
        for j in range(i + 1, len(cols)):
            b = cols[j]
            table = pd.crosstab(df[a], df[b])
            v = cv["matrix"]["values"][i][j]
            assert cv["overlap"][i][j] == int(table.to_numpy().sum()), (a, b)
            if min(table.shape) < 2:
                assert v is None, (a, b)
                continue
            expected = association(table.to_numpy(), method="cramer", correction=False)
            assert same(v, float(expected)), (a, b, v, expected)
            # Support and reliability, recomputed with pandas and scipy.
            n, low = cramer_support(table)
            # ... and the pair covers at least half the rows of the column it would drop.
            reliable = n >= MIN_SUPPORT and low <= 0.2 and 2 * n >= int(df[b].notna().sum())
            if reliable:
                assert (a, b) not in thin, (a, b)
                assert ((a, b) in listed) == (expected > cv["threshold"]), (a, b)
            else:
                assert (a, b) not in listed, (a, b)
                assert thin[(a, b)]["n"] == n
                assert same(thin[(a, b)]["low_expected"], low, 1e-12), (a, b)
            checked += 1
    if len(cols) >= 2:
        assert checked > 0
