"""mlplay's classifiers and classification metrics against scikit-learn on the bundled titanic
(tests/recipes/titanic.json) and penguins (tests/recipes/penguins.json) data."""
import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from conftest import DATASETS, ROOT, run_json
from sklearn_pipeline import prepare

TITANIC = ROOT / "tests" / "recipes" / "titanic.json"
PENGUINS = ROOT / "tests" / "recipes" / "penguins.json"


@pytest.fixture(scope="module")
def titanic(mlplay_bin):
    ours = run_json(mlplay_bin, "run", "--recipe", str(TITANIC), str(DATASETS / "titanic.csv"))
    xt, yt, xs, ys, _, _ = prepare(TITANIC, "titanic.csv")
    return ours, (xt, yt, xs, ys)


def model(ours, kind):
    return next(m for m in ours["models"] if m["kind"] == kind)["test"]


def test_classes_and_split(titanic):
    ours, _ = titanic
    assert ours["task"] == "classification"
    assert ours["classes"] == ["0", "1"]
    assert ours["split"]["test"] == int(np.ceil(0.3 * 1309))


def test_logistic_regression_matches_scikit_learn(titanic):
    ours, (xt, yt, xs, ys) = titanic
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(xt, yt)
    pred = lr.predict(xs)
    theirs = {
        "accuracy": accuracy_score(ys, pred),
        "precision_macro": precision_score(ys, pred, average="macro", zero_division=0),
        "recall_macro": recall_score(ys, pred, average="macro", zero_division=0),
        "f1_macro": f1_score(ys, pred, average="macro", zero_division=0),
        "roc_auc": roc_auc_score(ys, lr.predict_proba(xs)[:, 1]),
    }
    m = model(ours, "logistic_regression")
    for key, expected in theirs.items():
        assert abs(m[key] - expected) <= 0.02, (key, m[key], expected)


def test_random_forest_accuracy_is_inside_scikit_learns_seed_range(titanic):
    ours, (xt, yt, xs, ys) = titanic
    scores = [accuracy_score(ys, RandomForestClassifier(n_estimators=100, max_features=0.5,
                                                        random_state=s).fit(xt, yt).predict(xs))
              for s in range(10)]
    acc = model(ours, "random_forest")["accuracy"]
    assert min(scores) - 0.02 <= acc <= max(scores) + 0.02, (acc, scores)


@pytest.mark.parametrize("kind", ["k_neighbors", "gaussian_nb"])
def test_neighbours_and_naive_bayes_match_scikit_learn(titanic, kind):
    ours, (xt, yt, xs, ys) = titanic
    clf = KNeighborsClassifier(n_neighbors=5) if kind == "k_neighbors" else GaussianNB()
    expected = accuracy_score(ys, clf.fit(xt, yt).predict(xs))
    assert abs(model(ours, kind)["accuracy"] - expected) <= 0.02, expected


def test_multinomial_logistic_regression_on_penguins(mlplay_bin):
    ours = run_json(mlplay_bin, "run", "--recipe", str(PENGUINS), str(DATASETS / "penguins.csv"))
    xt, yt, xs, ys, _, _ = prepare(PENGUINS, "penguins.csv")
    lr = LogisticRegression(C=0.05, max_iter=1000).fit(xt, yt)
    m = ours["models"][0]["test"]
    assert ours["classes"] == sorted(set(ys.tolist()))
    assert abs(m["accuracy"] - accuracy_score(ys, lr.predict(xs))) <= 0.02
    assert len(m["confusion"]) == 3 and m["roc_auc"] is None


@pytest.mark.parametrize("dataset,target,na", [("titanic.csv", "survived", ["", "?"]),
                                               ("penguins.csv", "species", ["", "NA"]),
                                               ("adult.csv", "income", ["", "?"])])
def test_stratified_split_rows_equal_scikit_learn(mlplay_bin, tmp_path, dataset, target, na):
    import json
    import pandas as pd
    from sklearn.model_selection import train_test_split
    recipe = {"version": 1, "na_values": na, "target": target, "task": "classification",
              "split": {"test_size": 0.3, "shuffle": True, "random_state": 40, "stratify": True},
              "models": [{"kind": "gaussian_nb"}]}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(recipe))
    ours = run_json(mlplay_bin, "run", "--recipe", str(path), str(DATASETS / dataset))
    df = pd.read_csv(DATASETS / dataset, keep_default_na=False, na_values=na)
    _, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40, stratify=df[target])
    assert ours["test_rows"] == test.index.tolist()
