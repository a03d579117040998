"""The first screen in a real browser: bundled data, uploads (Shift_JIS, a large file parsed in
the worker, broken files), languages, reload, keyboard."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DATASETS, FIXTURES, SERVED, shot, wait_for


def shape(driver):
    try:
        rows = driver.find_element(By.ID, "row-count").get_attribute("data-value")
        cols = driver.find_element(By.ID, "col-count").get_attribute("data-value")
        return int(rows), int(cols)
    except Exception:
        return None


def open_app(driver):
    driver.get(driver.site)
    wait_for(driver, lambda d: d.find_elements(By.ID, "bundled-ames"))


def upload(driver, path):
    driver.find_element(By.ID, "file-input").send_keys(str(path))


def test_bundled_ames_shows_its_shape_and_every_column(browser):
    open_app(browser)
    browser.find_element(By.ID, "bundled-ames").click()
    wait_for(browser, lambda d: shape(d) == (2930, 81))
    rows = browser.find_elements(By.CSS_SELECTOR, "#info-table tbody tr")
    assert len(rows) == 81
    assert rows[0].find_element(By.TAG_NAME, "th").text == "Id"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "SalePrice" in body and "UTF-8" in body
    shot(browser, "01-ames-en.png")


def test_ames_through_the_file_input_gives_the_same_shape(browser):
    open_app(browser)
    upload(browser, DATASETS / "ames.csv")
    wait_for(browser, lambda d: shape(d) == (2930, 81))
    assert browser.find_element(By.ID, "overview-title").text == "ames.csv"


def test_shift_jis_excel_export_is_read_with_japanese_headers(browser):
    open_app(browser)
    browser.find_element(By.ID, "lang-ja").click()
    upload(browser, FIXTURES / "sjis_excel.csv")
    wait_for(browser, lambda d: shape(d) == (5, 5))
    table = browser.find_element(By.ID, "info-table").text
    assert "店舗名" in table and "売上（円）" in table
    assert "Shift_JIS" in browser.find_element(By.CLASS_NAME, "overview").text
    shot(browser, "02-shift-jis-ja.png")


def test_large_file_is_parsed_in_the_worker(browser):
    open_app(browser)
    SERVED.clear()
    upload(browser, DATASETS / "adult.csv")
    wait_for(browser, lambda d: shape(d) == (32561, 14), timeout=60)
    # The worker's own requests are not in the page's network log; the server saw them.
    assert "/worker.js" in SERVED and "/worker_bg.wasm" in SERVED, SERVED
    shot(browser, "03-adult-worker.png")


def test_broken_file_gets_a_translated_error_and_the_app_stays_usable(browser):
    open_app(browser)
    upload(browser, FIXTURES / "ragged.csv")
    error = wait_for(browser, lambda d: d.find_elements(By.ID, "load-error"))[0]
    assert "Line 4 has 4 fields" in error.text
    browser.find_element(By.ID, "lang-ja").click()
    wait_for(browser, lambda d: "4 行目" in d.find_element(By.ID, "load-error").text)
    shot(browser, "04-error-ja.png")
    browser.find_element(By.ID, "bundled-penguins").click()
    wait_for(browser, lambda d: shape(d) == (344, 8))
    upload(browser, FIXTURES / "empty.csv")
    wait_for(browser, lambda d: "ファイルが空です" in d.find_element(By.ID, "load-error").text)
    # The previous data is still shown under the error.
    assert shape(browser) == (344, 8)


def test_language_and_dataset_survive_a_reload(browser):
    open_app(browser)
    browser.find_element(By.ID, "lang-ja").click()
    browser.find_element(By.ID, "bundled-titanic").click()
    wait_for(browser, lambda d: shape(d) == (1309, 14))
    browser.refresh()
    wait_for(browser, lambda d: shape(d) == (1309, 14))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    assert "データを選ぶ" in browser.find_element(By.TAG_NAME, "body").text
    shot(browser, "05-reload-ja.png")


def test_keyboard_alone_can_pick_a_dataset(browser):
    open_app(browser)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the skip link comes first
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    target = browser.find_element(By.ID, "bundled-penguins")
    target.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: shape(d) == (344, 8))


def test_each_module_is_downloaded_once_per_page_load(browser):
    """The page preloads its module; the loader's own fetch must reuse that download (WebKit
    fetched it a second time while the preload carried an integrity hash the fetch did not)."""
    SERVED.clear()
    open_app(browser)
    browser.find_element(By.ID, "bundled-penguins").click()
    wait_for(browser, lambda d: shape(d) == (344, 8))
    modules = [p for p in SERVED if p.endswith(".wasm")]
    assert modules and len(modules) == len(set(modules)), SERVED
