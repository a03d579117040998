"""Steps 1 and 2 in a real browser: the value calculator, the formula editor, the case
exercises, and the full diagnosis of the bundled house prices, in both languages."""
import math

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import full_shot, inked, wait_for


def break_even(checkers_after, hours_after):
    """The break-even day computed here, independently of the app: workshop figures with the
    monthly cost spread over 365/12 days."""
    net = (20 * 7.5 - checkers_after * hours_after) * 1200 - 100_000 * 12 / 365
    return math.ceil(10_000_000 / net)


def go(driver, hash_):
    driver.get(driver.site + hash_)
    wait_for(driver, lambda d: d.find_elements(By.ID, "step-title"))


def set_field(driver, field_id, value):
    el = driver.find_element(By.ID, field_id)
    el.clear()
    el.send_keys(str(value), Keys.TAB)


def load_ames(driver):
    driver.get(driver.site + "#/data")
    wait_for(driver, lambda d: d.find_elements(By.ID, "bundled-ames"))
    driver.find_element(By.ID, "bundled-ames").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "row-count")
             and d.find_element(By.ID, "row-count").get_attribute("data-value") == "2930")


def test_value_calculator_tells_the_lesson_and_reacts_to_edits(browser):
    go(browser, "#/business")
    day = lambda i: browser.find_element(By.CSS_SELECTOR, f"#result-{i} .break-even").get_attribute("data-day")
    assert day(0) == str(break_even(2, 7.5))
    assert day(1) == ""  # does not pay back within three years
    assert break_even(19, 7.5) > 3 * 365
    assert int(day(2)) == break_even(19, 5) < 365
    assert "bad" in browser.find_element(By.CSS_SELECTOR, "#result-1 .break-even").get_attribute("class")
    assert inked(browser, "payback-chart") > 1000
    assert f"day {break_even(10, 7.5)}" in browser.find_element(By.ID, "notebook-correction").text
    full_shot(browser, "10-business-en.png")
    # Ten checkers after ML instead of nineteen: scenario B now pays back.
    set_field(browser, "s1-checkers_after", 10)
    wait_for(browser, lambda d: day(1) == str(break_even(10, 7.5)))
    # A bad value is named next to its field, and the rest keeps working.
    set_field(browser, "s2-hours_after", 30)
    wait_for(browser, lambda d: d.find_element(By.ID, "s2-hours_after-error").text != "")
    assert day(0) == str(break_even(2, 7.5))


def test_formula_editor_points_at_errors_and_charts_valid_formulas(browser):
    go(browser, "#/business")
    expr = browser.find_element(By.ID, "formula-expr")
    assert "162,000" in browser.find_element(By.ID, "formula-result").text
    assert inked(browser, "formula-chart") > 1000
    expr.clear()
    expr.send_keys("(checkers_before - checkers_after * hours")
    err = wait_for(browser, lambda d: d.find_elements(By.ID, "formula-error"))[0]
    assert "never closed" in err.text and "character 1" in err.text
    expr.clear()
    expr.send_keys("checkers_before * unknown_rate")
    wait_for(browser, lambda d: "unknown_rate" in d.find_element(By.ID, "formula-error").text)
    expr.clear()
    expr.send_keys("(checkers_before - checkers_after) × hours × wage ÷ 2")
    wait_for(browser, lambda d: "81,000" in d.find_element(By.ID, "formula-result").text)


def test_case_answers_reveal_and_survive_a_reload(browser):
    go(browser, "#/business")
    box = browser.find_element(By.ID, "case-0-answer")
    box.send_keys("Quality: claims before minus after", Keys.TAB)
    browser.find_element(By.CSS_SELECTOR, "#case-0 button").click()
    model = wait_for(browser, lambda d: d.find_elements(By.ID, "case-0-model"))[0]
    assert "Delivery" in model.text
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "case-0-answer"))
    assert browser.find_element(By.ID, "case-0-answer").get_attribute("value").startswith("Quality")
    assert browser.find_elements(By.ID, "case-0-model")


def test_ames_diagnosis_matches_the_workshop(browser):
    load_ames(browser)
    browser.find_element(By.ID, "nav-analyze").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "mostly-missing"))
    missing = browser.find_element(By.ID, "mostly-missing").text
    for col in ["Alley", "PoolQC", "Fence", "MiscFeature"]:
        assert col in missing
    assert browser.find_element(By.ID, "upper-bound").get_attribute("data-value") == "339500"
    high = browser.find_element(By.ID, "high-correlation").text
    for col in ["1stFlrSF", "TotRmsAbvGrd", "GarageYrBlt", "GarageArea"]:
        assert col in high
    assert browser.find_element(By.ID, "ordinal-caveat").is_displayed()
    assert browser.find_element(By.ID, "cramer-correction").is_displayed()
    for canvas in ["missing-chart", "target-histogram", "target-box", "relations-chart",
                   "corr-heatmap", "cramers-heatmap"]:
        assert inked(browser, canvas) > 500, canvas
    full_shot(browser, "11-analyze-ames-en.png")
    # Accept a finding; the decision survives a reload.
    box = browser.find_element(By.ID, "finding-missing-Alley")
    box.click()
    wait_for(browser, lambda d: d.find_element(By.ID, "finding-missing-Alley").is_selected())
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "finding-missing-Alley"), timeout=30)
    wait_for(browser, lambda d: d.find_element(By.ID, "finding-missing-Alley").is_selected())
    browser.find_element(By.ID, "lang-ja").click()
    wait_for(browser, lambda d: "欠損値" in d.find_element(By.ID, "missing-title").text)
    full_shot(browser, "12-analyze-ames-ja.png")


def test_thresholds_and_target_can_be_changed(browser):
    load_ames(browser)
    go(browser, "#/analyze")
    wait_for(browser, lambda d: d.find_elements(By.ID, "target-select"))
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "target-select")).select_by_value("CentralAir")
    wait_for(browser, lambda d: d.find_elements(By.ID, "class-counts"))
    counts = browser.find_element(By.ID, "class-counts").text
    assert "Y" in counts and "N" in counts
    assert inked(browser, "relations-chart") > 500


def test_business_step_in_japanese(browser):
    go(browser, "#/business")
    browser.find_element(By.ID, "lang-ja").click()
    wait_for(browser, lambda d: f"{break_even(2, 7.5)} 日目" in d.find_element(By.ID, "result-0").text)
    assert f"{break_even(10, 7.5)} 日目" in browser.find_element(By.ID, "notebook-correction").text
    full_shot(browser, "13-business-ja.png")


def test_later_steps_say_what_they_need(browser):
    go(browser, "#/report")
    # Without data the report still opens, with the parts that need data saying so and the
    # code exports waiting for trained models.
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "No diagnosis yet." in text and "No models trained yet." in text
    assert not browser.find_element(By.ID, "export-ipynb").is_enabled()
    assert browser.find_element(By.ID, "export-html").is_enabled()
    for step in ["#/train", "#/test"]:
        go(browser, step)
        needs = browser.find_element(By.CSS_SELECTOR, ".needs").text
        assert "needs data" in needs or "No trained models" in needs
