"""mlplay's split, preprocessing and linear models against scikit-learn on the bundled house
prices with the workshop's settings (tests/recipes/ames_workshop.json)."""
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder, StandardScaler

from conftest import DATASETS, ROOT, run_json

RECIPE = ROOT / "tests" / "recipes" / "ames_workshop.json"


@pytest.fixture(scope="module")
def both(mlplay_bin):
    recipe = json.loads(RECIPE.read_text())
    ours = run_json(mlplay_bin, "run", "--recipe", str(RECIPE), str(DATASETS / "ames.csv"))
    df = pd.read_csv(DATASETS / "ames.csv", keep_default_na=False, na_values=recipe["na_values"])
    target = recipe["target"]
    df = df.drop(columns=recipe["exclude"])
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    train = train[train[target] <= 340000]
    x_train, y_train = train.drop(columns=[target]), train[target].to_numpy()
    x_test, y_test = test.drop(columns=[target]), test[target].to_numpy()
    num = list(x_train.select_dtypes("number").columns)
    cat = [c for c in x_train.columns if c not in num]
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("enc", OrdinalEncoder(handle_unknown="use_encoded_value",
                                                 unknown_value=-1))]), cat),
    ])
    xt = ct.fit_transform(x_train)
    xs = ct.transform(x_test)
    xt[:, len(num):] += 1  # the workshop's shift: unknown becomes 0, known 1..k
    xs[:, len(num):] += 1
    ys = StandardScaler().fit(y_train.reshape(-1, 1))
    yt = ys.transform(y_train.reshape(-1, 1)).ravel()
    models = {
        "elastic_net": ElasticNet(alpha=1.0, l1_ratio=0.05),
        "ridge": Ridge(alpha=1.0),
        "lasso": Lasso(alpha=0.01),
        "linear_regression": LinearRegression(),
    }
    theirs = {}
    for kind, m in models.items():
        m.fit(xt, yt)
        pred = ys.inverse_transform(m.predict(xs).reshape(-1, 1)).ravel()
        theirs[kind] = {"rmse": mean_squared_error(y_test, pred) ** 0.5,
                        "r2": r2_score(y_test, pred)}
    return ours, theirs, test.index.to_numpy(), len(train)


def test_split_rows_equal_scikit_learn(both):
    ours, _, test_index, n_train = both
    assert ours["test_rows"] == test_index.tolist()
    assert ours["split"]["train_after_filters"] == n_train
    assert ours["split"]["test"] == len(test_index)


@pytest.mark.parametrize("kind", ["elastic_net", "ridge", "lasso", "linear_regression"])
def test_linear_models_match_scikit_learn(both, kind):
    ours, theirs, _, _ = both
    m = next(m for m in ours["models"] if m["kind"] == kind)
    t = theirs[kind]
    assert abs(m["test"]["rmse"] - t["rmse"]) <= 1e-3 * t["rmse"], (m["test"], t)
    assert abs(m["test"]["r2"] - t["r2"]) <= 1e-3, (m["test"], t)


def test_random_forest_r2_is_inside_scikit_learns_seed_range(mlplay_bin):
    from sklearn.ensemble import RandomForestRegressor
    recipe = json.loads(RECIPE.read_text())
    ours = run_json(mlplay_bin, "run", "--recipe", str(RECIPE), str(DATASETS / "ames.csv"))
    ours_r2 = next(m for m in ours["models"] if m["kind"] == "random_forest")["test"]["r2"]
    df = pd.read_csv(DATASETS / "ames.csv", keep_default_na=False, na_values=recipe["na_values"])
    df = df.drop(columns=recipe["exclude"])
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    train = train[train["SalePrice"] <= 340000]
    xt, yt = train.drop(columns=["SalePrice"]), train["SalePrice"]
    xs, ys = test.drop(columns=["SalePrice"]), test["SalePrice"]
    num = list(xt.select_dtypes("number").columns)
    cat = [c for c in xt.columns if c not in num]
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("enc", OrdinalEncoder(handle_unknown="use_encoded_value",
                                                 unknown_value=-1))]), cat),
    ])
    a, b = ct.fit_transform(xt), ct.transform(xs)
    scores = [r2_score(ys, RandomForestRegressor(n_estimators=20, max_features=1.0, random_state=s)
                       .fit(a, yt).predict(b)) for s in range(10)]
    assert min(scores) - 0.02 <= ours_r2 <= max(scores) + 0.02, (ours_r2, scores)
