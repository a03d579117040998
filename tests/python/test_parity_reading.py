"""Reading a business export as mlplay does, in the exported notebook and in pandas: a CP932
file written the way Japanese Excel writes one (CRLF, Japanese headers, prices with thousands
separators, yen amounts, percentages, full-width digits, dates in three spellings, an ID and a
free-text column). The notebook's reading cell must type every column as the engine does and
hold the same values; where pandas has a reading of its own (`thousands=","`, `to_datetime`)
it must agree too; and the notebook's linear models, fitted on the derived date features,
must predict as the engine's."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import run_json
from test_notebook import run_notebook

ROWS = 240


def export_rows(rows=ROWS):
    rng = np.random.RandomState(7)
    lines = ["顧客ID,地域,単価,数量,割引率,登録日,売上,メモ"]
    for i in range(rows):
        price = int(rng.randint(300, 30_000))
        qty = int(rng.randint(1, 12))
        rate = int(rng.randint(0, 30))
        y, m, d = 2022 + i % 3, 1 + (i * 5) % 12, 1 + (i * 7) % 28
        date = [f"{y}/{m}/{d}", f"{y}-{m:02d}-{d:02d}", f"{y}年{m}月{d}日"][i % 3]
        if i % 17 == 0:
            date = ""
        sales = round(price * qty * (1 - rate / 100) + 40 * m + 900 * (y - 2022)
                      + rng.normal(0, 500))
        # Excel's CP932 writes ¥ as the byte 0x5C (a backslash to Python's cp932 codec).
        price_text = [f"{price}円", f'"\\{price:,}"', f"{price}円", f'"￥{price:,}"'][i % 4]
        qty_text = str(qty).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        memo = "" if i % 4 else f"問い合わせ {i} 件目、折り返し連絡"
        lines.append(f'C{i:05d},{"北東南西中"[i % 5]},{price_text},{qty_text},{rate}%,{date},'
                     f'"{sales:,}",{memo}')
    return "\r\n".join(lines) + "\r\n"


RECIPE = {"version": 1, "target": "売上", "task": "regression", "exclude": ["顧客ID", "メモ"],
          "split": {"test_size": 0.25, "shuffle": True, "random_state": 3},
          "models": [{"kind": "linear_regression"}, {"kind": "ridge", "alpha": 1.0}]}


@pytest.fixture(scope="module")
def export(mlplay_bin, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    csv = folder / "sales.csv"
    csv.write_bytes(export_rows().encode("cp932"))
    recipe = folder / "recipe.json"
    recipe.write_text(json.dumps(RECIPE, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([mlplay_bin, "report", "--recipe", str(recipe), str(csv),
                          "--format", "ipynb", "--data-path", "sales.csv"],
                         capture_output=True, check=True)
    nb = folder / "walkthrough.ipynb"
    nb.write_bytes(out.stdout)
    _, ns = run_notebook(nb)
    # The frame as the notebook's reading cell leaves it (later cells drop and split it).
    read = pd.read_csv(csv, sep=ns["SEP"], encoding=ns["ENCODING"], keep_default_na=False,
                       na_values=ns["RECIPE"]["na_values"])
    ns["read"] = ns["read_like_mlplay"](read)
    preds = folder / "predictions.csv"
    models = folder / "models"
    done = subprocess.run([mlplay_bin, "run", "--recipe", str(recipe), str(csv), "--predictions",
                           str(preds), "--save-models", str(models), "--json"],
                          capture_output=True, text=True, check=True)
    info = run_json(mlplay_bin, "info", str(csv))
    model = json.loads(sorted(models.glob("model-1-*.json"))[0].read_text())
    return csv, ns, info, json.loads(done.stdout), pd.read_csv(preds), model


def test_engine_reads_the_export_as_numbers_dates_and_text(export):
    _, _, info, _, _, _ = export
    assert info["encoding"] == "Shift_JIS"
    kinds = {c["name"]: c["kind"] for c in info["columns"]}
    assert kinds == {"顧客ID": "categorical", "地域": "categorical", "単価": "numeric",
                     "数量": "numeric", "割引率": "numeric", "登録日": "date", "売上": "numeric",
                     "メモ": "categorical"}
    converted = {c["column"]: c for c in info["conversions"]}
    assert converted["単価"]["currency"] == ROWS
    assert converted["数量"]["fullwidth"] == ROWS
    assert converted["割引率"]["percent"] == ROWS
    assert converted["売上"]["thousands"] > ROWS // 2


def test_notebook_reading_types_and_values_equal_the_engines(export):
    _, ns, info, _, _, _ = export
    df = ns["read"]
    for c in info["columns"]:
        s = df[c["name"]]
        expected = {"numeric": pd.api.types.is_numeric_dtype,
                    "date": pd.api.types.is_datetime64_any_dtype,
                    "categorical": pd.api.types.is_object_dtype}[c["kind"]]
        assert expected(s), (c["name"], s.dtype)
        assert c["non_null"] == int(s.notna().sum()), c["name"]
        assert c["unique"] == int(s.nunique()), c["name"]
    for s in info["describe"]["numeric"]:
        d = df[s["name"]].describe()
        for key, pkey in [("count", "count"), ("mean", "mean"), ("std", "std"), ("min", "min"),
                          ("q1", "25%"), ("median", "50%"), ("q3", "75%"), ("max", "max")]:
            assert s[key] == pytest.approx(float(d[pkey]), rel=1e-12), (s["name"], key)
    (dates,) = info["describe"]["dates"]
    col = df[dates["name"]]
    assert dates["count"] == int(col.notna().sum())
    assert dates["min"] == col.min().strftime("%Y-%m-%d")
    assert dates["max"] == col.max().strftime("%Y-%m-%d")


def test_pandas_thousands_and_to_datetime_agree(export):
    csv, ns, info, _, _, _ = export
    theirs = pd.read_csv(csv, encoding="cp932", thousands=",")
    assert pd.api.types.is_integer_dtype(theirs["売上"])
    assert (theirs["売上"].astype(float) == ns["read"]["売上"]).all()
    ours = next(s for s in info["describe"]["numeric"] if s["name"] == "売上")
    assert ours["mean"] == pytest.approx(theirs["売上"].mean(), rel=1e-12)
    # pandas' own parse of the spellings it knows (not 年月日) gives the engine's dates.
    raw = pd.read_csv(csv, encoding="cp932", dtype=str, keep_default_na=False)["登録日"]
    known = raw[(raw != "") & ~raw.str.contains("年")]
    parsed = pd.to_datetime(known, format="mixed")
    assert (parsed == ns["read"].loc[known.index, "登録日"]).all()
    assert ns["read"]["登録日"].iloc[2] == pd.Timestamp(2024, 11, 15)  # "2024年11月15日"


def test_date_features_are_fitted_like_the_engines(export):
    _, ns, _, _, _, model = export
    pre = model["preprocessor"]
    names = pre["output_names"]
    assert [n for n in names if n.startswith("登録日_")] == [
        "登録日_year", "登録日_month", "登録日_dayofweek", "登録日_days"]
    assert list(ns["pre"].get_feature_names_out()) == [
        ("num__" if i < len(ns["numeric"]) else "cat__") + n for i, n in enumerate(names)]
    (date,) = [f["Date"] for f in pre["features"] if "Date" in f]
    origin = pd.Timestamp("1970-01-01") + pd.Timedelta(days=date["origin"])
    assert origin == ns["origins"]["登録日"]
    scaler = ns["pre"].named_transformers_["num"].named_steps["scale"]
    imputer = ns["pre"].named_transformers_["num"].named_steps["impute"]
    for part in date["parts"]:
        i = names.index(f"登録日_{part['part']}")
        assert part["fill"] == pytest.approx(imputer.statistics_[i], rel=1e-12)
        assert part["offset"] == pytest.approx(scaler.mean_[i], rel=1e-12)
        assert part["scale"] == pytest.approx(scaler.scale_[i], rel=1e-12)


def test_notebook_linear_models_predict_as_the_engines(export):
    _, ns, _, _, preds, _ = export
    for i, (spec, model) in enumerate(ns["fitted"]):
        theirs = ns["predict"](spec, model, ns["X_test"])
        mine = preds[f"model-{i + 1}-{spec['kind']}"].to_numpy()
        assert np.max(np.abs(mine - theirs) / np.abs(theirs)) <= 1e-9, spec["kind"]
