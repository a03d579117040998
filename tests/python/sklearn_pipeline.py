"""The scikit-learn side of the parity tests: a recipe carried out with pandas and scikit-learn
the way the workshop's notebook does it (split, train-only filters, ColumnTransformer), reading
every option of the recipe, with mlplay's feature order: numeric columns in file order, then
the categorical ones sorted by name (one-hot columns in category order)."""
import json
import pathlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from conftest import DATASETS

# The recipe's defaults (README, "The recipe"), for fields a recipe leaves out.
SPLIT = {"test_size": 0.3, "shuffle": True, "random_state": 40, "stratify": False}
NUMERIC = {"impute": "median", "fill_value": None, "scale": "standard"}
CATEGORICAL = {"impute": "most_frequent", "fill_value": None, "encode": "ordinal"}


@dataclass
class Prepared:
    """A recipe's data side in scikit-learn: the matrices, targets and fitted pieces."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    test_index: np.ndarray
    numeric: list
    categorical: list
    names: list
    task: str
    y_scaler: object  # a StandardScaler for the target of the linear models, or None
    transformer: ColumnTransformer

    def __iter__(self):
        """The tuple older callers unpack: (x_train, y_train, x_test, y_test, test_index,
        number of numeric columns)."""
        return iter((self.x_train, self.y_train, self.x_test, self.y_test, self.test_index,
                     len(self.numeric)))


def load(recipe):
    """A recipe from a path or a dict, with every default filled in."""
    if isinstance(recipe, (str, pathlib.Path)):
        recipe = json.loads(pathlib.Path(recipe).read_text())
    r = dict(recipe)
    r["split"] = {**SPLIT, **recipe.get("split", {})}
    r["numeric"] = {**NUMERIC, **recipe.get("numeric", {})}
    r["categorical"] = {**CATEGORICAL, **recipe.get("categorical", {})}
    r.setdefault("exclude", [])
    r.setdefault("train_filters", [])
    r.setdefault("target_scale", "none")
    return r


def prepare(recipe, dataset):
    """Carry out a recipe's split and preprocessing on a bundled dataset (a file name under
    datasets/) and return a Prepared (which also unpacks as the old 6-tuple)."""
    r = load(recipe)
    target = r["target"]
    df = pd.read_csv(DATASETS / dataset, keep_default_na=False, na_values=r["na_values"])
    df = df.drop(columns=r["exclude"])
    task = r.get("task") or ("regression" if pd.api.types.is_numeric_dtype(df[target])
                             else "classification")
    s = r["split"]
    options = dict(test_size=s["test_size"], shuffle=s["shuffle"],
                   random_state=s["random_state"] if s["shuffle"] else None)
    if s["stratify"] and task == "classification":
        known = df[df[target].notna()]
        train, test = train_test_split(known, stratify=known[target], **options)
    else:
        train, test = train_test_split(df, **options)
    train, test = train[train[target].notna()], test[test[target].notna()]
    for f in r["train_filters"]:
        if f.get("min") is not None:
            train = train[train[f["column"]] >= f["min"]]
        if f.get("max") is not None:
            train = train[train[f["column"]] <= f["max"]]
    xt, yt = train.drop(columns=[target]), train[target].to_numpy()
    xs, ys = test.drop(columns=[target]), test[target].to_numpy()
    num = list(xt.select_dtypes("number").columns)
    cat = sorted(c for c in xt.columns if c not in num)
    n, c = r["numeric"], r["categorical"]
    num_steps = [("imp", SimpleImputer(strategy=n["impute"], fill_value=(
        0 if n["fill_value"] is None else n["fill_value"])))]
    if n["scale"] == "standard":
        num_steps.append(("sc", StandardScaler()))
    elif n["scale"] == "min_max":
        num_steps.append(("sc", MinMaxScaler()))
    else:
        assert n["scale"] == "none", n["scale"]
    if c["encode"] == "onehot":
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    else:
        assert c["encode"] == "ordinal", c["encode"]
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    cat_steps = [("imp", SimpleImputer(strategy=c["impute"], fill_value=(
        "missing_value" if c["fill_value"] is None else c["fill_value"]))), ("enc", encoder)]
    ct = ColumnTransformer([("num", Pipeline(num_steps), num), ("cat", Pipeline(cat_steps), cat)],
                           verbose_feature_names_out=False)
    a, b = ct.fit_transform(xt), ct.transform(xs)
    if c["encode"] == "ordinal":
        a[:, len(num):] += 1  # the workshop's shift: unknown becomes 0, known 1..k
        b[:, len(num):] += 1
    y_scaler = None
    if task == "regression" and r["target_scale"] == "standard":
        y_scaler = StandardScaler().fit(yt.reshape(-1, 1))
    return Prepared(a, yt, b, ys, test.index.to_numpy(), num, cat,
                    list(ct.get_feature_names_out()), task, y_scaler, ct)


def engine_run(binary, recipe, dataset, folder):
    """`mlplay run --predictions --save-models` on a bundled dataset: (the --json output,
    {column: values} of the predictions file (`row`, `model-N-KIND`, …), the engine's feature
    names in order, from the first model file)."""
    import csv
    import subprocess
    path = folder / "recipe.json"
    path.write_text(json.dumps(recipe if isinstance(recipe, dict) else load(recipe)))
    out = folder / "predictions.csv"
    models = folder / "models"
    done = subprocess.run([binary, "run", "--recipe", str(path), str(DATASETS / dataset),
                           "--predictions", str(out), "--save-models", str(models), "--json"],
                          capture_output=True, text=True, check=True)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    columns = {name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}
    first = json.loads(sorted(models.glob("model-1-*.json"))[0].read_text())
    return json.loads(done.stdout), columns, first["preprocessor"]["output_names"]


def reference_model(spec, task):
    """The scikit-learn estimator for a recipe model, set to reach the optimum the engine
    solves for (see the parity tests for why each setting)."""
    from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    kind = spec["kind"]
    if kind == "linear_regression":
        return LinearRegression()
    if kind == "ridge":
        return Ridge(alpha=spec.get("alpha", 1.0))
    if kind == "lasso":
        return Lasso(alpha=spec.get("alpha", 1.0))
    if kind == "elastic_net":
        return ElasticNet(alpha=spec.get("alpha", 1.0), l1_ratio=spec.get("l1_ratio", 0.5))
    if kind == "logistic_regression":
        # The engine solves to the optimum by Newton's method (gradient below 1e-8); lbfgs
        # with its default tol=1e-4 stops about 1e-5 short of it, so the reference is
        # scikit-learn's own Newton solver run to the same gradient.
        return LogisticRegression(C=spec.get("C", 1.0), solver="newton-cholesky", tol=1e-12,
                                  max_iter=1000)
    if kind == "gaussian_nb":
        return GaussianNB()
    if kind == "k_neighbors":
        return (KNeighborsRegressor if task == "regression" else KNeighborsClassifier)(
            n_neighbors=spec.get("n_neighbors", 5))
    raise ValueError(kind)


def tie_free(model, x, k):
    """Test rows whose k-th and (k+1)-th nearest training rows are not (nearly) equidistant:
    there the neighbour set is unique, so mlplay and scikit-learn must agree exactly."""
    d, _ = model.kneighbors(x, n_neighbors=k + 1)
    return d[:, k] - d[:, k - 1] > 1e-9 * (1.0 + d[:, k])
