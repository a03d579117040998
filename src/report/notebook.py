# %% setup
# The recipe exported by mlplay __MLPLAY_VERSION__: every decision of steps 2 to 5. Change DATA
# if the CSV is not beside this notebook.
import datetime
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import (accuracy_score, confusion_matrix, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error,
                             precision_recall_fscore_support, r2_score, roc_auc_score, roc_curve)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler
# The models mlplay knows: each kind's scikit-learn class for each task it serves.
__ESTIMATORS__

RECIPE = json.loads(__RECIPE_JSON__)
DATA = __DATA_PATH__
ENCODING, SEP = __ENCODING__, __SEP__
TARGET, TASK = RECIPE["target"], RECIPE["task"]
# %% read
# Every token in na_values (and only those) means "missing", as mlplay read the file.
df = pd.read_csv(DATA, sep=SEP, encoding=ENCODING, keep_default_na=False,
                 na_values=RECIPE["na_values"])

# Numbers written for people, as mlplay reads them: thousands separators (not in files split
# by ";", where the comma is a decimal comma), a currency sign or a yen suffix, a percent sign
# (87% is 0.87), full-width digits. A column becomes numeric when every present value is such
# a number, except the columns listed in keep_text.
WIDE = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
WIDE.update({0xFFE5: ord("¥"), 0x3000: ord(" "), 0x2212: ord("-")})
FORMATTED = re.compile(r"([+-]?)\s*(?:([¥\\$])\s*([+-]?)\s*)?"
                       r"(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?\s*(円|%)?")
PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf(?:inity)?", re.I)


def to_number(cell):
    """The number a cell holds, plain or formatted; None for text."""
    text = str(cell).strip(" \t")
    if PLAIN.fullmatch(text):
        return float(text)
    m = FORMATTED.fullmatch(text.translate(WIDE).strip())
    if m is None:
        return None
    sign, money, sign2, whole, frac, suffix = m.groups()
    if ((sign and sign2) or (money and suffix == "円") or ("," in whole and SEP == ";")
            or (not whole and frac is None)):
        return None
    v = float(whole.replace(",", "") + ("." + frac if frac is not None else ""))
    v = -v if "-" in (sign, sign2) else v
    return v / 100 if suffix == "%" else v


# Dates as mlplay reads them: 2024-03-05, 2024/3/5 or 2024年3月5日, with an optional time.
DATE = re.compile(r"(\d{4})(?:([-/])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)"
                  r"(?:[ T] *(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?")


def to_iso(cell):
    """The cell as an ISO 8601 date-time for pandas' to_datetime; None if it is no date."""
    m = DATE.fullmatch(str(cell).strip(" \t"))
    if m is None:
        return None
    y, _, mo, d, mo2, d2, h, mi, s, frac = m.groups()
    try:  # a day that does not exist (2024-02-30, 25:00) is no date
        datetime.datetime(int(y), int(mo or mo2), int(d or d2), int(h or 0), int(mi or 0),
                          int(s or 0))
    except ValueError:
        return None
    iso = f"{y}-{int(mo or mo2):02d}-{int(d or d2):02d}"
    if h is not None:
        iso += f"T{int(h):02d}:{mi}:{s or '00'}{frac or ''}"
    return iso


def read_like_mlplay(df):
    """Type the text columns as mlplay does: formatted numbers, then dates."""
    for c in df.columns[df.dtypes == object]:
        present = df[c].dropna()
        if present.empty:
            continue
        numbers = present.map(to_number)
        if c not in RECIPE.get("keep_text", []) and numbers.notna().all():
            df[c] = df[c].map(to_number, na_action="ignore").astype(float)
            continue
        iso = present.map(to_iso)
        if iso.notna().all():
            df[c] = pd.to_datetime(df[c].map(to_iso, na_action="ignore"), format="ISO8601")
            continue
    return df


df = read_like_mlplay(df)
print(df.shape)
df.head()
# %% split
# Drop the excluded columns, then split before anything is learned from the data, so that no
# statistic of the test rows leaks into preprocessing. Rows without a target sit out.
df = df.drop(columns=RECIPE["exclude"])
split = RECIPE["split"]
options = dict(test_size=split["test_size"], shuffle=split["shuffle"],
               random_state=split["random_state"] if split["shuffle"] else None)
if split["stratify"] and TASK == "classification":
    known = df[df[TARGET].notna()]
    train, test = train_test_split(known, stratify=known[TARGET], **options)
else:
    train, test = train_test_split(df, **options)
train, test = train[train[TARGET].notna()], test[test[TARGET].notna()]
# The accepted diagnosis filters apply to training rows only (test rows stay as they come).
for f in RECIPE["train_filters"]:
    if f["min"] is not None:
        train = train[train[f["column"]] >= f["min"]]
    if f["max"] is not None:
        train = train[train[f["column"]] <= f["max"]]
print(len(train), "training rows,", len(test), "test rows")
# %% preprocess
# Numbers: impute, then scale. Categories: impute, then encode (ordinal codes are shifted by 1
# so that a category unseen in training becomes 0). Fitted on the training rows only.
# The feature order is mlplay's: numeric columns in file order, then the categorical ones
# sorted by name (one-hot columns in category order).
x_train, x_test = train.drop(columns=[TARGET]), test.drop(columns=[TARGET])


def date_features(x, origins):
    """Each date column replaced in place by the numbers the recipe derives from it: year,
    month, day of week (Monday 0) and whole days since the earliest training date."""
    out = {}
    for c in x.columns:
        if c not in origins:
            out[c] = x[c]
            continue
        d = x[c]
        derived = {"year": d.dt.year, "month": d.dt.month, "dayofweek": d.dt.dayofweek,
                   "days": (d.dt.normalize() - origins[c]).dt.days}
        for part in RECIPE.get("date_parts", list(derived)):
            out[f"{c}_{part}"] = derived[part].astype(float)
    return pd.DataFrame(out, index=x.index)


origins = {c: x_train[c].min().normalize() for c in x_train.columns
           if pd.api.types.is_datetime64_any_dtype(x_train[c]) and x_train[c].notna().any()}
x_train = x_train.drop(columns=[c for c in x_train.columns if c not in origins
                                and pd.api.types.is_datetime64_any_dtype(x_train[c])])
x_test = x_test[x_train.columns]
x_train, x_test = date_features(x_train, origins), date_features(x_test, origins)
numeric = list(x_train.select_dtypes("number").columns)
categorical = sorted(c for c in x_train.columns if c not in numeric)
N, C = RECIPE["numeric"], RECIPE["categorical"]
num_steps = [("impute", SimpleImputer(strategy=N["impute"],
                                      fill_value=0 if N["fill_value"] is None else N["fill_value"]))]
if N["scale"] == "standard":
    num_steps.append(("scale", StandardScaler()))
elif N["scale"] == "min_max":
    num_steps.append(("scale", MinMaxScaler()))
if C["encode"] == "onehot":
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
else:
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
cat_steps = [("impute", SimpleImputer(strategy=C["impute"],
                                      fill_value="missing_value" if C["fill_value"] is None
                                      else C["fill_value"])),
             ("encode", encoder)]
pre = ColumnTransformer([("num", Pipeline(num_steps), numeric),
                         ("cat", Pipeline(cat_steps), categorical)])
X_train, X_test = pre.fit_transform(x_train), pre.transform(x_test)
if C["encode"] != "onehot":
    X_train[:, len(numeric):] += 1
    X_test[:, len(numeric):] += 1
y_train, y_test = train[TARGET].to_numpy(), test[TARGET].to_numpy()
# Linear regressions fit a standardised target when the recipe says so; predictions are
# transformed back to the target's own units.
y_scaler = None
if TASK == "regression" and RECIPE["target_scale"] == "standard":
    y_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
X_train.shape
# %% train
# Fitted on the standardised target when the recipe says so.
LINEAR = __SCALED_TARGET_KINDS__


def make(spec):
    """The scikit-learn estimator for one model of the recipe, whose parameters carry
    scikit-learn's own names."""
    params = {k: v for k, v in spec.items() if k != "kind"}
    if spec["kind"] == "logistic_regression":
        params["max_iter"] = 1000
    return ESTIMATORS[spec["kind"]][TASK](**params)


fitted = []
for spec in RECIPE["models"]:
    model = make(spec)
    if y_scaler is not None and spec["kind"] in LINEAR:
        model.fit(X_train, y_scaler.transform(y_train.reshape(-1, 1)).ravel())
    else:
        model.fit(X_train, y_train)
    fitted.append((spec, model))
    print("fitted", spec["kind"])
# %% test
def predict(spec, model, X):
    p = model.predict(X)
    if y_scaler is not None and spec["kind"] in LINEAR:
        p = y_scaler.inverse_transform(p.reshape(-1, 1)).ravel()
    return p


def regression_metrics(y, p):
    return {"rmse": float(np.sqrt(mean_squared_error(y, p))),
            "mae": float(mean_absolute_error(y, p)), "r2": float(r2_score(y, p)),
            "mape": float(mean_absolute_percentage_error(y, p))}


CLASSES = sorted(set(y_train.tolist()) | set(y_test.tolist()))


def label(v):
    """A class as mlplay names it: whole numbers without a decimal point."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def classification_metrics(y, p, model, X):
    prec, rec, f1, support = precision_recall_fscore_support(y, p, labels=CLASSES,
                                                             zero_division=0)
    out = {"accuracy": float(accuracy_score(y, p)), "precision_macro": float(prec.mean()),
           "recall_macro": float(rec.mean()), "f1_macro": float(f1.mean()),
           "per_class": [{"class": label(c), "precision": float(a), "recall": float(b),
                          "f1": float(d), "support": int(s)}
                         for c, a, b, d, s in zip(CLASSES, prec, rec, f1, support)],
           "confusion": confusion_matrix(y, p, labels=CLASSES).tolist(),
           "roc_auc": None, "roc": []}
    if len(CLASSES) == 2 and hasattr(model, "predict_proba"):
        score = model.predict_proba(X)[:, list(model.classes_).index(CLASSES[1])]
        positive = y == CLASSES[1]
        out["roc_auc"] = float(roc_auc_score(positive, score))
        fpr, tpr, _ = roc_curve(positive, score)
        out["roc"] = [[float(a), float(b)] for a, b in zip(fpr, tpr)]
    return out


models = []
for spec, model in fitted:
    p_train, p_test = predict(spec, model, X_train), predict(spec, model, X_test)
    if TASK == "regression":
        m_train, m_test = regression_metrics(y_train, p_train), regression_metrics(y_test, p_test)
    else:
        m_train = classification_metrics(y_train, p_train, model, X_train)
        m_test = classification_metrics(y_test, p_test, model, X_test)
    params = {k: v for k, v in spec.items() if k != "kind"}
    models.append({"kind": spec["kind"], "params": params, "train": m_train, "test": m_test})
    shown = ["r2", "rmse", "mae"] if TASK == "regression" else ["accuracy", "f1_macro", "roc_auc"]
    print(spec["kind"], {k: m_test[k] for k in shown})

# The same shape as `mlplay run --json`'s "models", beside this notebook.
Path("metrics.json").write_text(json.dumps(models, indent=2))
