"""mlplay's split, preprocessing and regression models against scikit-learn on the bundled
house prices with the workshop's settings (tests/recipes/ames_workshop.json)."""
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.preprocessing import StandardScaler

from conftest import DATASETS, ROOT, run_json
from sklearn_pipeline import prepare

RECIPE = ROOT / "tests" / "recipes" / "ames_workshop.json"


@pytest.fixture(scope="module")
def both(mlplay_bin):
    ours = run_json(mlplay_bin, "run", "--recipe", str(RECIPE), str(DATASETS / "ames.csv"))
    xt, yt, xs, ys, test_index, _ = prepare(RECIPE, "ames.csv")
    scaler = StandardScaler().fit(yt.reshape(-1, 1))
    y_fit = scaler.transform(yt.reshape(-1, 1)).ravel()
    models = {
        "elastic_net": ElasticNet(alpha=1.0, l1_ratio=0.05),
        "ridge": Ridge(alpha=1.0),
        "lasso": Lasso(alpha=0.01),
        "linear_regression": LinearRegression(),
    }
    theirs = {}
    for kind, m in models.items():
        pred = scaler.inverse_transform(m.fit(xt, y_fit).predict(xs).reshape(-1, 1)).ravel()
        theirs[kind] = {"rmse": mean_squared_error(ys, pred) ** 0.5, "r2": r2_score(ys, pred)}
    forest = [r2_score(ys, RandomForestRegressor(n_estimators=20, max_features=1.0, random_state=s)
                       .fit(xt, yt).predict(xs)) for s in range(10)]
    return ours, theirs, test_index, len(yt), forest


def test_split_rows_equal_scikit_learn(both):
    ours, _, test_index, n_train, _ = both
    assert ours["test_rows"] == test_index.tolist()
    assert ours["split"]["train_after_filters"] == n_train
    assert ours["split"]["test"] == len(test_index)


@pytest.mark.parametrize("kind", ["elastic_net", "ridge", "lasso", "linear_regression"])
def test_linear_models_match_scikit_learn(both, kind):
    ours, theirs, _, _, _ = both
    m = next(m for m in ours["models"] if m["kind"] == kind)
    t = theirs[kind]
    assert abs(m["test"]["rmse"] - t["rmse"]) <= 1e-3 * t["rmse"], (m["test"], t)
    assert abs(m["test"]["r2"] - t["r2"]) <= 1e-3, (m["test"], t)


def test_random_forest_r2_is_inside_scikit_learns_seed_range(both):
    ours, _, _, _, forest = both
    r2 = next(m for m in ours["models"] if m["kind"] == "random_forest")["test"]["r2"]
    assert min(forest) - 0.02 <= r2 <= max(forest) + 0.02, (r2, forest)
