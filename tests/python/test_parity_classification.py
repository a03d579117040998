"""mlplay's logistic regression and classification metrics against scikit-learn on the bundled
titanic data (tests/recipes/titanic.json)."""
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

RECIPE = ROOT / "tests" / "recipes" / "titanic.json"


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


def test_random_forest_accuracy_is_inside_scikit_learns_seed_range(mlplay_bin):
    from sklearn.ensemble import RandomForestClassifier
    recipe = json.loads(RECIPE.read_text())
    ours = run_json(mlplay_bin, "run", "--recipe", str(RECIPE), str(DATASETS / "titanic.csv"))
    acc = next(m for m in ours["models"] if m["kind"] == "random_forest")["test"]["accuracy"]
    df = pd.read_csv(DATASETS / "titanic.csv", keep_default_na=False, na_values=recipe["na_values"])
    df = df.drop(columns=recipe["exclude"])
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    xt, yt = train.drop(columns=["survived"]), train["survived"]
    xs, ys = test.drop(columns=["survived"]), test["survived"]
    num = list(xt.select_dtypes("number").columns)
    cat = [c for c in xt.columns if c not in num]
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("enc", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])
    a, b = ct.fit_transform(xt), ct.transform(xs)
    scores = [accuracy_score(ys, RandomForestClassifier(n_estimators=100, max_features=0.5,
                                                        random_state=s).fit(a, yt).predict(b))
              for s in range(10)]
    assert min(scores) - 0.02 <= acc <= max(scores) + 0.02, (acc, scores)


def prepared(recipe_name, dataset, target):
    recipe = json.loads((ROOT / "tests" / "recipes" / recipe_name).read_text())
    df = pd.read_csv(DATASETS / dataset, keep_default_na=False, na_values=recipe["na_values"])
    df = df.drop(columns=recipe["exclude"])
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    xt, yt = train.drop(columns=[target]), train[target]
    xs, ys = test.drop(columns=[target]), test[target]
    num = list(xt.select_dtypes("number").columns)
    cat = [c for c in xt.columns if c not in num]
    ct = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("enc", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])
    return ct.fit_transform(xt), yt, ct.transform(xs), ys


@pytest.mark.parametrize("kind", ["k_neighbors", "gaussian_nb"])
def test_neighbours_and_naive_bayes_match_scikit_learn(both, kind):
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    ours, _ = both
    a, yt, b, ys = prepared("titanic.json", "titanic.csv", "survived")
    model = KNeighborsClassifier(n_neighbors=5) if kind == "k_neighbors" else GaussianNB()
    expected = accuracy_score(ys, model.fit(a, yt).predict(b))
    got = next(m for m in ours["models"] if m["kind"] == kind)["test"]["accuracy"]
    assert abs(got - expected) <= 0.02, (got, expected)


def test_multinomial_logistic_regression_on_penguins(mlplay_bin):
    ours = run_json(mlplay_bin, "run", "--recipe", str(ROOT / "tests" / "recipes" / "penguins.json"),
                    str(DATASETS / "penguins.csv"))
    a, yt, b, ys = prepared("penguins.json", "penguins.csv", "species")
    model = LogisticRegression(C=0.05, max_iter=1000).fit(a, yt)
    proba = model.predict_proba(b)
    m = ours["models"][0]["test"]
    assert ours["classes"] == sorted(ys.unique().tolist())
    assert abs(m["accuracy"] - accuracy_score(ys, model.predict(b))) <= 0.02
    assert len(m["confusion"]) == 3 and m["roc_auc"] is None
    assert proba.shape[1] == 3
