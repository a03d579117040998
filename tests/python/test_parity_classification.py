"""mlplay's logistic regression and classification metrics against scikit-learn on the bundled
titanic data (tests/recipes/titanic_logistic.json)."""
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from conftest import DATASETS, ROOT, run_json

RECIPE = ROOT / "tests" / "recipes" / "titanic_logistic.json"


@pytest.fixture(scope="module")
def both(mlplay_bin):
    recipe = json.loads(RECIPE.read_text())
    ours = run_json(mlplay_bin, "run", "--recipe", str(RECIPE), str(DATASETS / "titanic.csv"))
    df = pd.read_csv(DATASETS / "titanic.csv", keep_default_na=False, na_values=recipe["na_values"])
    df = df.drop(columns=recipe["exclude"])
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    xt, yt = train.drop(columns=["survived"]), train["survived"].to_numpy()
    xs, ys = test.drop(columns=["survived"]), test["survived"].to_numpy()
    num = list(xt.select_dtypes("number").columns)
    cat = [c for c in xt.columns if c not in num]
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("enc", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])
    model = LogisticRegression(C=1.0, max_iter=1000).fit(ct.fit_transform(xt), yt)
    xs_t = ct.transform(xs)
    pred = model.predict(xs_t)
    proba = model.predict_proba(xs_t)[:, 1]
    theirs = {
        "accuracy": accuracy_score(ys, pred),
        "precision_macro": precision_score(ys, pred, average="macro", zero_division=0),
        "recall_macro": recall_score(ys, pred, average="macro", zero_division=0),
        "f1_macro": f1_score(ys, pred, average="macro", zero_division=0),
        "roc_auc": roc_auc_score(ys, proba),
    }
    return ours, theirs


def test_classes_and_split(both):
    ours, _ = both
    assert ours["task"] == "classification"
    assert ours["classes"] == ["0", "1"]
    assert ours["split"]["test"] == int(np.ceil(0.3 * 1309))


def test_logistic_regression_matches_scikit_learn(both):
    ours, theirs = both
    m = ours["models"][0]["test"]
    assert abs(m["accuracy"] - theirs["accuracy"]) <= 0.02, (m["accuracy"], theirs)
    for key in ["precision_macro", "recall_macro", "f1_macro", "roc_auc"]:
        assert abs(m[key] - theirs[key]) <= 0.02, (key, m[key], theirs[key])
