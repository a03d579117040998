"""The scikit-learn side of the parity tests: a recipe carried out with pandas and scikit-learn
the way the workshop's notebooks do it (split, train-only filters, ColumnTransformer)."""
import json

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from conftest import DATASETS


def prepare(recipe_path, dataset):
    """Return (x_train, y_train, x_test, y_test, test_index, n_numeric) for a recipe file."""
    recipe = json.loads(recipe_path.read_text())
    target = recipe["target"]
    df = pd.read_csv(DATASETS / dataset, keep_default_na=False, na_values=recipe["na_values"])
    df = df.drop(columns=recipe.get("exclude", []))
    split = recipe.get("split", {})
    train, test = train_test_split(df, test_size=split.get("test_size", 0.3),
                                   shuffle=split.get("shuffle", True),
                                   random_state=split.get("random_state", 40))
    for f in recipe.get("train_filters", []):
        if f.get("max") is not None:
            train = train[train[f["column"]] <= f["max"]]
        if f.get("min") is not None:
            train = train[train[f["column"]] >= f["min"]]
    xt, yt = train.drop(columns=[target]), train[target]
    xs, ys = test.drop(columns=[target]), test[target]
    num = list(xt.select_dtypes("number").columns)
    cat = [c for c in xt.columns if c not in num]
    if recipe.get("categorical", {}).get("encode", "ordinal") == "onehot":
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")), ("enc", encoder)]), cat),
    ])
    a, b = ct.fit_transform(xt), ct.transform(xs)
    if isinstance(encoder, OrdinalEncoder):
        a[:, len(num):] += 1  # the workshop's shift: unknown becomes 0, known 1..k
        b[:, len(num):] += 1
    return a, yt.to_numpy(), b, ys.to_numpy(), test.index.to_numpy(), len(num)
