"""Step 4 in a real browser: the findings become exclusions and filters, the split equals
scikit-learn's, the statistics come from the training rows, and both downloads work."""
import sys
import time

import pandas as pd
from selenium.webdriver.common.by import By
from sklearn.model_selection import train_test_split

from conftest import DATASETS, ROOT, catch_downloads, full_shot, inked, wait_download, wait_for

sys.path.insert(0, str(ROOT / "tests" / "python"))
from na_values import NA_VALUES  # noqa: E402  (mlplay's reading rules, shared with pandas)


def expected_sizes(cap):
    df = pd.read_csv(DATASETS / "ames.csv", keep_default_na=False, na_values=NA_VALUES)
    train, test = train_test_split(df, test_size=0.3, shuffle=True, random_state=40)
    return len(train), len(test), int((train["SalePrice"] <= cap).sum())


def test_preprocess_applies_findings_and_matches_scikit_learns_split(browser):
    browser.get(browser.site + "#/data")
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"))
    browser.find_element(By.ID, "bundled-ames").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count"))
    browser.find_element(By.ID, "nav-analyze").click()
    for finding in ["finding-missing-Alley", "finding-outliers-SalePrice"]:
        box = wait_for(browser, lambda d: d.find_elements(By.ID, finding))[0]
        box.click()
        wait_for(browser, lambda d: d.find_element(By.ID, finding).is_selected())
    cap = float(browser.find_element(By.ID, "upper-bound").get_attribute("data-value"))
    browser.find_element(By.ID, "nav-preprocess").click()
    sizes = wait_for(browser, lambda d: d.find_elements(By.ID, "split-sizes"))[0]
    train, test, filtered = expected_sizes(cap)
    assert int(sizes.get_attribute("data-train")) == train
    assert int(sizes.get_attribute("data-test")) == test
    assert int(sizes.get_attribute("data-filtered")) == filtered
    # The accepted finding unticked Alley; the learner can still see why.
    alley = browser.find_element(By.ID, "use-Alley")
    assert not alley.is_selected()
    assert "finding" in alley.find_element(By.XPATH, "../..").text
    # The standardised target has mean 0 on the training rows.
    row = browser.find_element(By.CSS_SELECTOR, "#before-after tr[data-column^='SalePrice']")
    assert abs(float(row.find_element(By.CLASS_NAME, "after-mean").text)) < 1e-6
    for canvas in ["scatter-before", "scatter-after"]:
        assert inked(browser, canvas) > 300, canvas
    full_shot(browser, "20-preprocess-en.png")
    # Ticking Alley back in changes the processed columns.
    header = browser.find_element(By.CSS_SELECTOR, "#preview thead").text
    assert "Alley" not in header
    alley.click()
    wait_for(browser, lambda d: "Alley" in d.find_element(By.CSS_SELECTOR, "#preview thead").text)
    # Downloads are made in the page.
    catch_downloads(browser)
    browser.find_element(By.ID, "download-train").click()
    browser.find_element(By.ID, "download-test").click()
    train_csv = pd.read_csv(wait_download(browser, "train_processed.csv"))
    test_csv = pd.read_csv(wait_download(browser, "test_raw.csv"))
    assert len(train_csv) == filtered and len(test_csv) == test
    assert abs(train_csv["SalePrice"].mean()) < 1e-9


def test_preprocess_without_data_says_what_it_needs(browser):
    browser.get(browser.site + "#/preprocess")
    text = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".needs"))[0].text
    assert "needs data" in text
