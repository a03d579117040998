"""Steps 5 and 6 in a real browser: training runs in the worker with progress and Cancel, the
page stays usable, metrics equal scikit-learn's, and the try-it panel scores edited rows."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sklearn.linear_model import ElasticNet
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

from conftest import ROOT, catch_downloads, full_shot, inked, wait_download, wait_for

sys.path.insert(0, str(ROOT / "tests" / "python"))
from na_values import NA_VALUES  # noqa: E402


def ames_with_outlier_filter(browser):
    browser.get(browser.site + "#/data")
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"))
    browser.find_element(By.ID, "bundled-ames").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count"))
    browser.find_element(By.ID, "nav-analyze").click()
    # The findings come from the diagnosis in its worker.
    box = wait_for(browser, lambda d: d.find_elements(By.ID, "finding-outliers-SalePrice"), 90)[0]
    box.click()
    wait_for(browser, lambda d: d.find_element(By.ID, "finding-outliers-SalePrice").is_selected())
    return float(browser.find_element(By.ID, "upper-bound").get_attribute("data-value"))


def sklearn_elastic_net_r2(cap):
    sys.path.insert(0, str(ROOT / "tests" / "python"))
    from sklearn_pipeline import prepare
    recipe = {"version": 1, "na_values": NA_VALUES, "target": "SalePrice",
              "train_filters": [{"column": "SalePrice", "max": cap}]}
    path = pathlib.Path(tempfile.mkdtemp()) / "r.json"
    path.write_text(json.dumps(recipe))
    xt, yt, xs, ys, _, _ = prepare(path, "ames.csv")
    sc = StandardScaler().fit(yt.reshape(-1, 1))
    m = ElasticNet(alpha=1.0, l1_ratio=0.05).fit(xt, sc.transform(yt.reshape(-1, 1)).ravel())
    return r2_score(ys, sc.inverse_transform(m.predict(xs).reshape(-1, 1)).ravel())


def mlplay_bin():
    return os.environ.get("MLPLAY_BIN", str(ROOT / "target" / "debug" / "mlplay"))


def models_leave_the_browser(browser, page_predictions):
    """Download both trained models from the page; `mlplay predict` scores the bundled file
    with them natively. The first test row's prediction equals the page's try-it value, and a
    native run of the recipe stored in the file saves a model that predicts the same."""
    catch_downloads(browser)
    for i in range(2):
        browser.find_element(By.ID, f"download-model-{i}").click()
    names = ["model-1-elastic_net.json", "model-2-random_forest.json"]
    for n in names:
        wait_download(browser, n)
    work = pathlib.Path(tempfile.mkdtemp())
    page_file = browser.downloads / names[0]
    model = json.loads(page_file.read_text())
    assert model["format"] == "mlplay-model" and model["target"] == "SalePrice"
    (work / "recipe.json").write_text(json.dumps(model["recipe"]))
    run = subprocess.run([mlplay_bin(), "run", "--recipe", str(work / "recipe.json"),
                          str(ROOT / "datasets" / "ames.csv"), "--json", "--save-models",
                          str(work / "native")], capture_output=True, text=True, check=True)
    first_test_row = json.loads(run.stdout)["test_rows"][0]

    def scores(model_file):
        out = work / "pred.csv"
        subprocess.run([mlplay_bin(), "predict", "--model", str(model_file),
                        str(ROOT / "datasets" / "ames.csv"), "--out", str(out)], check=True)
        return pd.read_csv(out, keep_default_na=False, na_values=NA_VALUES)["prediction"]

    from_page = scores(page_file)
    native = scores(work / "native" / names[0])
    assert len(from_page) == 2930
    assert ((from_page - native).abs() <= 1e-9 * native.abs()).all()
    assert abs(from_page[first_test_row] - page_predictions[0]) <= 1e-9 * abs(page_predictions[0])
    # The forest's file scores too (its trees are the page's own).
    forest = scores(browser.downloads / names[1])
    assert forest.between(10_000, 1_000_000).all()


def test_training_in_the_worker_matches_scikit_learn_and_try_it_scores_rows(browser):
    cap = ames_with_outlier_filter(browser)
    browser.find_element(By.ID, "nav-train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "train"))
    assert "ElasticNet" in browser.find_element(By.ID, "recommendation").text
    browser.find_element(By.ID, "train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "trained"), timeout=180)
    for canvas in ["explain-0", "explain-1"]:
        assert inked(browser, canvas) > 300, canvas
    full_shot(browser, "30-train-en.png")
    browser.find_element(By.ID, "nav-test").click()
    row = wait_for(browser, lambda d: d.find_elements(By.ID, "model-result-0"))[0]
    assert abs(float(row.get_attribute("data-score")) - sklearn_elastic_net_r2(cap)) <= 1e-3
    for canvas in ["hist-overlay", "pred-vs-actual", "residuals"]:
        assert inked(browser, canvas) > 300, canvas
    # Every model answers in dollars, as the target is.
    for i in range(2):
        v = float(browser.find_element(By.ID, f"prediction-{i}").get_attribute("data-value"))
        assert 10_000 < v < 1_000_000, (i, v)
    before = browser.find_element(By.ID, "prediction-0").get_attribute("data-value")
    models_leave_the_browser(browser, [float(before)])
    area = browser.find_element(By.ID, "try-GrLivArea")
    area.clear()
    area.send_keys("4000", Keys.TAB)
    # A larger house is predicted dearer (clearing the field may first score the row with the
    # area missing, so wait for the figure that answers 4000).
    wait_for(browser, lambda d: float(d.find_element(By.ID, "prediction-0")
                                      .get_attribute("data-value")) > float(before))
    full_shot(browser, "31-test-en.png")


def workers(browser):
    """The page's running Web Workers, as Chromium's DevTools protocol lists them (None in the
    engines whose drivers cannot list them)."""
    if browser.engine != "chromium":
        return None
    targets = browser.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
    return {t["targetId"] for t in targets if t["type"] == "worker"}


def test_training_can_be_cancelled_and_the_page_stays_usable(browser):
    ames_with_outlier_filter(browser)
    browser.find_element(By.ID, "nav-train").click()
    trees = wait_for(browser, lambda d: d.find_elements(By.ID, "param-random_forest-n_estimators"))[0]
    trees.clear()
    # The most the page allows: about 45 s of work in the worker (100 trees take about 4.5 s).
    trees.send_keys("1000", Keys.TAB)
    browser.find_element(By.ID, "train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "cancel-training"))
    training = workers(browser)
    assert training is None or training, "training runs in a worker"
    # The page answers while the worker trains.
    browser.find_element(By.ID, "nav-business").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "payback-chart"))
    browser.find_element(By.ID, "nav-train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "cancel-training"))[0].click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "training-cancelled"))
    assert not browser.find_elements(By.ID, "trained")
    # Cancel stops the worker itself (its 1,000 trees would keep a core busy for about 40 s
    # more), and a fresh one is started for the next run.
    if training is not None:
        # The diagnosis has a worker of its own, which stays: the training one must go.
        wait_for(browser, lambda d: training - workers(d), timeout=10)
        wait_for(browser, lambda d: workers(d) - training, timeout=10)
    trees = browser.find_element(By.ID, "param-random_forest-n_estimators")
    trees.clear()
    trees.send_keys("5", Keys.TAB)
    browser.find_element(By.ID, "train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "trained"), timeout=20)


def test_titanic_goes_through_steps_four_to_six_as_classification(browser):
    browser.get(browser.site + "#/data")
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-titanic"))
    browser.find_element(By.ID, "bundled-titanic").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count"))
    browser.find_element(By.ID, "nav-analyze").click()
    # Leaky and identifying columns out: the boat and body numbers tell who survived.
    wait_for(browser, lambda d: d.find_elements(By.ID, "finding-id-name"))[0].click()
    browser.find_element(By.ID, "nav-preprocess").click()
    for col in ["boat", "body", "ticket", "cabin", "home-dest"]:
        box = wait_for(browser, lambda d: d.find_elements(By.ID, f"use-{col}"))[0]
        if box.is_selected():
            box.click()
            wait_for(browser, lambda d: not d.find_element(By.ID, f"use-{col}").is_selected())
    browser.find_element(By.ID, "nav-train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "model-logistic_regression"))
    assert browser.find_element(By.ID, "model-logistic_regression").is_selected()
    browser.find_element(By.ID, "train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "trained"), timeout=180)
    browser.find_element(By.ID, "nav-test").click()
    row = wait_for(browser, lambda d: d.find_elements(By.ID, "model-result-0"))[0]
    accuracy = float(row.get_attribute("data-score"))
    assert 0.7 < accuracy < 0.9, accuracy
    assert browser.find_elements(By.ID, "confusion")
    assert inked(browser, "roc") > 300
    browser.find_element(By.ID, "lang-ja").click()
    wait_for(browser, lambda d: "混同行列" in d.find_element(By.ID, "confusion").text)
    full_shot(browser, "32-test-titanic-ja.png")
