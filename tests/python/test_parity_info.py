"""mlplay's info and describe equal pandas' on every bundled CSV."""
import math

import pandas as pd
import pytest

from conftest import BUNDLED, DATASETS, NA_VALUES, run_json


def read_with_pandas(name):
    return pd.read_csv(DATASETS / name, keep_default_na=False, na_values=NA_VALUES,
                       float_precision="round_trip")


def close(a, b, rel=1e-9):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) and (b is None or math.isnan(b))
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


@pytest.mark.parametrize("name", BUNDLED)
def test_info_matches_pandas(mlplay_bin, name):
    ours = run_json(mlplay_bin, "info", str(DATASETS / name))
    df = read_with_pandas(name)
    assert ours["rows"] == len(df)
    assert [c["name"] for c in ours["columns"]] == list(df.columns)
    for col in ours["columns"]:
        s = df[col["name"]]
        assert col["non_null"] == int(s.notna().sum()), col["name"]
        assert col["unique"] == int(s.nunique()), col["name"]
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        assert col["kind"] == ("numeric" if numeric else "categorical"), col["name"]
        assert col["dtype"] == str(s.dtype), col["name"]


@pytest.mark.parametrize("name", BUNDLED)
def test_describe_matches_pandas(mlplay_bin, name):
    ours = run_json(mlplay_bin, "info", str(DATASETS / name))["describe"]
    df = read_with_pandas(name)
    num = df.select_dtypes("number")
    assert [s["name"] for s in ours["numeric"]] == list(num.columns)
    if len(num.columns):
        d = num.describe()
        for s in ours["numeric"]:
            p = d[s["name"]]
            for key, pkey in [("count", "count"), ("mean", "mean"), ("std", "std"), ("min", "min"),
                              ("q1", "25%"), ("median", "50%"), ("q3", "75%"), ("max", "max")]:
                assert close(s[key], float(p[pkey])), (s["name"], key, s[key], float(p[pkey]))
    cat = df.select_dtypes(exclude="number")
    assert [s["name"] for s in ours["categorical"]] == list(cat.columns)
    for s in ours["categorical"]:
        col = cat[s["name"]]
        counts = col.value_counts()
        assert s["count"] == int(col.notna().sum())
        assert s["unique"] == int(col.nunique())
        assert s["freq"] == int(counts.iloc[0])
        # pandas breaks ties in an unspecified order; ours takes the first value in the file.
        tied = set(counts[counts == counts.iloc[0]].index.astype(str))
        assert s["top"] in tied
        first_tied = next(v for v in col.dropna().astype(str) if v in tied)
        assert s["top"] == first_tied


def test_shift_jis_fixture_matches_pandas(mlplay_bin):
    path = DATASETS.parent / "tests" / "fixtures" / "sjis_excel.csv"
    ours = run_json(mlplay_bin, "info", str(path))
    df = pd.read_csv(path, encoding="cp932", keep_default_na=False, na_values=NA_VALUES)
    assert [c["name"] for c in ours["columns"]] == list(df.columns)
    assert [c["non_null"] for c in ours["columns"]] == [int(n) for n in df.notna().sum()]
