"""Issue 13 in a real browser: hostile share links are refused with a message naming the field
(and leave nothing behind), a link asks before it replaces the learner's work and keeps their
uploaded file, a visit that died while restoring starts without what it was doing, the panic
box shows with a way out, and the embedded evaluation and try-it widgets train with the
learner's settings. Only standard WebDriver calls and page scripts: no browser-specific API."""
import base64
import json
import time
import zlib

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from conftest import FIXTURES, shot, wait_for
from test_steps import load_ames

BREADCRUMB = "mlplay-breadcrumb"


def breadcrumbs(driver):
    """Every start-up breadcrumb in local storage: each open page keeps its own key."""
    return driver.execute_script("""
        return Object.keys(localStorage).filter(k => k.startsWith(arguments[0])).sort();""",
                                 BREADCRUMB)


def share_fragment(settings):
    """A share link's fragment as the app makes it: JSON, raw deflate, base64url unpadded."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(json.dumps(settings).encode()) + packer.flush()
    return "#share=" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def open_fresh(driver, fragment):
    """Open the page with `fragment` as a new document (not a same-page hash change)."""
    driver.get(driver.site + "index.html" + fragment)


def text_of(driver, element_id):
    """The element's text, or "" while it is missing or being replaced."""
    try:
        found = driver.find_elements(By.ID, element_id)
        return found[0].text if found else ""
    except StaleElementReferenceException:
        return ""


def visible(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return bool(found) and found[0].is_displayed()


def assert_way_out_is_there(driver):
    """Navigation, Start over, Erase my data and the language switch are shown and usable."""
    for css in ["nav.steps", "#start-over", "#erase-data", "#lang-ja", ".topbar"]:
        assert visible(driver, css), f"{css} is hidden"
    root = driver.find_element(By.CSS_SELECTOR, ".app").get_attribute("class").split()
    assert "locked" not in root, root
    assert not [c for c in root if c not in ("app",) and not c.startswith("hide-")], root


def test_the_bricking_link_is_refused_naming_the_field_and_leaves_nothing(browser):
    # The review's 258-character link: a space in a hidden name put any class on the root.
    link = share_fragment({
        "v": 1, "step": "analyze",
        "classroom": {"hide": ["upload topbar steps session-tools lang layout"],
                      "lock": True, "hide_text": True},
    })
    open_fresh(browser, link)
    err = wait_for(browser, lambda d: d.find_elements(By.ID, "share-error"), 60)[0]
    assert "classroom.hide" in err.text, err.text
    assert_way_out_is_there(browser)
    shot(browser, "60-hostile-link-refused.png")
    # Nothing was saved: a visit without the link shows the normal page.
    browser.get(browser.site)
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"))
    time.sleep(1)
    assert not browser.find_elements(By.ID, "share-error")
    assert_way_out_is_there(browser)
    assert visible(browser, ".dropzone")


def test_a_link_with_huge_histogram_bins_is_refused_in_japanese(browser):
    browser.get(browser.site + "#/data")
    wait_for(browser, lambda d: d.find_elements(By.ID, "lang-ja"))[0].click()
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja")
    time.sleep(1)  # the language is saved
    analysis = {"target": "SalePrice", "task": None, "missing_threshold": 50.0,
                "corr_threshold": 0.8, "cramer_threshold": 0.5, "min_overlap": 30,
                "missing_as_category": False, "hist_bins": 4294967295}
    open_fresh(browser, share_fragment({"v": 1, "step": "analyze", "dataset": "ames",
                                        "analysis": analysis, "threshold": -1.0}))
    err = wait_for(browser, lambda d: d.find_elements(By.ID, "share-error"), 60)[0]
    assert "analysis.hist_bins" in err.text and "共有リンク" in err.text, err.text
    assert "5 以上 100 以下の整数" in err.text, err.text
    assert not visible(browser, "#panic")
    # A negative threshold is refused too (every model would pass).
    open_fresh(browser, share_fragment({"v": 1, "threshold": -1.0}))
    # The previous link's message may still be on the page (or be replaced while it is read).
    wait_for(browser, lambda d: "threshold" in text_of(d, "share-error"), 60)
    browser.get(browser.site + "#/analyze")
    wait_for(browser, lambda d: d.find_elements(By.ID, "nav-analyze"))
    time.sleep(1)
    assert not visible(browser, "#panic")
    assert not browser.find_elements(By.ID, "share-error")


def upload_head(driver):
    driver.get(driver.site + "#/data")
    wait_for(driver, lambda d: d.find_elements(By.ID, "file-input"))[0].send_keys(
        str(FIXTURES / "ames_head.csv"))
    wait_for(driver, lambda d: d.find_elements(By.ID, "row-count")
             and d.find_element(By.ID, "row-count").get_attribute("data-value") == "80")


def kv(driver, key):
    """The JSON text mlplay's IndexedDB holds for `key` (None if absent)."""
    return driver.execute_async_script("""
        const [key, done] = arguments;
        const r = indexedDB.open('mlplay');
        r.onsuccess = () => {
            const db = r.result;
            try {
                const g = db.transaction('kv').objectStore('kv').get(key);
                g.onsuccess = () => { db.close(); done(g.result === undefined ? null : g.result); };
                g.onerror = () => done(null);
            } catch (e) { db.close(); done(null); }
        };
        r.onerror = () => done(null);""", key)


def test_a_link_asks_before_replacing_work_and_keeps_the_uploaded_file(browser):
    upload_head(browser)
    browser.find_element(By.ID, "nav-business").click()
    expr = wait_for(browser, lambda d: d.find_elements(By.ID, "formula-expr"))[0]
    expr.clear()
    expr.send_keys("hours * wage * 3")
    browser.find_element(By.ID, "nav-data").click()
    wait_for(browser, lambda d: kv(d, "mlplay.last-upload") is not None
             and "hours * wage * 3" in (kv(d, "mlplay.business") or ""))

    teacher = {"v": 1, "step": "business", "dataset": "ames",
               "formula": {"variables": [["hours", 7.5], ["wage", 1200.0]],
                           "expression": "hours * wage", "dev_cost_yen": 1000000.0,
                           "op_cost_yen_per_month": 0.0, "horizon_years": 3.0},
               "threshold": 0.5}
    open_fresh(browser, share_fragment(teacher))
    dialog = wait_for(browser, lambda d: d.find_elements(By.ID, "share-consent"), 60)[0]
    assert "value formula" in dialog.text and "threshold" not in \
        browser.find_element(By.ID, "share-consent-parts").text, dialog.text
    keep = browser.find_element(By.ID, "share-keep-file")
    assert keep.is_selected() and "ames_head.csv" in dialog.text
    shot(browser, "61-share-consent.png")
    # Declining keeps everything as it was.
    browser.find_element(By.ID, "share-consent-cancel").click()
    wait_for(browser, lambda d: not d.find_elements(By.ID, "share-consent"))
    assert "hours * wage * 3" in kv(browser, "mlplay.business")

    open_fresh(browser, share_fragment(teacher))
    wait_for(browser, lambda d: d.find_elements(By.ID, "share-consent-open"), 60)[0].click()
    # The link's formula, on the learner's own file, which is still there after a reload.
    expr = wait_for(browser, lambda d: d.find_elements(By.ID, "formula-expr"), 60)[0]
    wait_for(browser, lambda d: d.find_element(By.ID, "formula-expr").get_attribute("value")
             == "hours * wage")
    for _ in range(2):
        wait_for(browser, lambda d: d.find_elements(By.ID, "nav-data"), 60)[0].click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "row-count")
                 and d.find_element(By.ID, "row-count").get_attribute("data-value") == "80", 60)
        browser.refresh()
    assert json.loads(kv(browser, "mlplay.last-upload")) == "ames_head.csv"


def test_a_visit_that_died_restoring_starts_without_it(browser):
    upload_head(browser)
    browser.find_element(By.ID, "nav-report").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "note-business"))[0].send_keys("Kept.")
    browser.find_element(By.ID, "nav-data").click()
    wait_for(browser, lambda d: kv(d, "mlplay.last-upload") is not None
             and kv(d, "mlplay.notes") is not None)
    # The page records what it is about to restore before the work starts and clears it once
    # the restored page is drawn.
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count"), 60)
    wait_for(browser, lambda d: breadcrumbs(d) == [], 30)

    def die_while_restoring():
        # A visit that died restoring the file left its breadcrumb behind. (Written once this
        # page has settled: a normal reload while it restores would clear it, rightly.)
        time.sleep(2)
        # Under this page's own key: the reload closes the page, so its lock goes too.
        crumb = {"doing": "restore", "name": "ames_head.csv", "upload": True}
        browser.execute_script("""
            const id = document.documentElement.getAttribute('data-mlplay-instance');
            localStorage.setItem(arguments[0] + ':' + id, arguments[1]);""",
                               BREADCRUMB, json.dumps(crumb))
        browser.refresh()
        return wait_for(browser, lambda d: d.find_elements(By.ID, "recovery"), 60)[0]

    banner = die_while_restoring()
    assert "ames_head.csv" in banner.text
    time.sleep(1)
    assert not browser.find_elements(By.ID, "row-count"), "the file is not read again"
    shot(browser, "62-recovery.png")
    # Try again: the file is read, the breadcrumb goes once the work is done.
    browser.find_element(By.ID, "recovery-retry").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count")
             and d.find_element(By.ID, "row-count").get_attribute("data-value") == "80", 60)
    wait_for(browser, lambda d: breadcrumbs(d) == [], 30)
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "row-count"), 60)
    assert not browser.find_elements(By.ID, "recovery")

    # Open without it: the file is put aside for good, the rest of the work stays.
    die_while_restoring()
    browser.find_element(By.ID, "recovery-without").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "recovery-done"))
    time.sleep(1)
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"))
    time.sleep(1)
    assert not browser.find_elements(By.ID, "recovery")
    assert not browser.find_elements(By.ID, "row-count")
    browser.find_element(By.ID, "nav-report").click()
    note = wait_for(browser, lambda d: d.find_elements(By.ID, "note-business"))[0]
    assert note.get_attribute("value") == "Kept."


def test_a_page_still_open_beside_is_not_a_visit_that_died(browser):
    """Pages of one origin share local storage: a tab or a slide's widget frame that is busy
    restoring its data must not look, to a page opened beside it, like a visit that died.
    (Firefox opened the embed deck's frames into recovery this way.)"""
    browser.get(browser.site + "#/data")
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"), 60)
    # This page leaves a breadcrumb as if it were restoring, and stays open.
    browser.execute_script("""
        const id = document.documentElement.getAttribute('data-mlplay-instance');
        localStorage.setItem(arguments[0] + ':' + id, JSON.stringify(
            {doing: 'restore', name: 'ames', upload: false}));
        const f = document.createElement('iframe');
        f.id = 'beside'; f.src = 'index.html#/data'; f.style.width = '800px'; f.style.height = '600px';
        document.body.appendChild(f);""", BREADCRUMB)
    frame = wait_for(browser, lambda d: d.find_elements(By.ID, "beside"))[0]
    browser.switch_to.frame(frame)
    try:
        wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"), 60)
        time.sleep(1)
        assert not browser.find_elements(By.ID, "recovery"), \
            "a page still open was taken for one that died"
    finally:
        browser.switch_to.default_content()
    assert len(breadcrumbs(browser)) == 1, "the open page's breadcrumb stays its own"


def throw_in_page(driver):
    """An uncaught RangeError thrown by the page's own code (a script of the page, so that the
    browser does not mask its message as a cross-origin "Script error.")."""
    driver.execute_script("""
        const s = document.createElement('script');
        s.textContent = "setTimeout(() => { throw new RangeError('Maximum call stack size exceeded'); }, 0);";
        document.body.appendChild(s);""")


def test_the_panic_box_shows_the_error_with_a_way_out(browser):
    browser.allowed_errors = ["Maximum call stack size exceeded"]
    load_ames(browser)
    assert not visible(browser, "#panic")
    # What a stack overflow in the page's WebAssembly looks like to the page: an uncaught
    # RangeError, which never reaches Rust's panic hook.
    throw_in_page(browser)
    box = wait_for(browser, lambda d: visible(d, "#panic") and d.find_element(By.ID, "panic"))
    assert "Maximum call stack size exceeded" in box.text
    assert "unexpected error" in box.text, box.text
    assert visible(browser, "#panic-reload") and visible(browser, "#panic-erase")
    shot(browser, "63-panic-box.png")
    # The way out: reload without the restored data.
    browser.find_element(By.ID, "panic-reload").click()
    banner = wait_for(browser, lambda d: d.find_elements(By.ID, "recovery"), 60)[0]
    assert "error" in banner.text
    assert not visible(browser, "#panic")
    time.sleep(1)
    assert not browser.find_elements(By.ID, "row-count")
    # And erase, from the panic box.
    throw_in_page(browser)
    wait_for(browser, lambda d: visible(d, "#panic-erase"))
    browser.find_element(By.ID, "panic-erase").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "bundled-ames"), 60)
    time.sleep(1)
    assert kv(browser, "mlplay.last-bundled") is None
    assert not browser.find_elements(By.ID, "recovery")


def test_embedded_widgets_train_with_the_learners_settings(browser):
    load_ames(browser)
    browser.find_element(By.ID, "nav-train").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "model-random_forest"))[0].click()
    browser.find_element(By.ID, "model-ridge").click()
    wait_for(browser, lambda d: '"ridge"' in (kv(d, "mlplay.models") or "").replace('\\"', '"')
             and "random_forest" not in (kv(d, "mlplay.models") or ""))
    for widget, rows in [("evaluation", "model-result"), ("try-it", "prediction")]:
        browser.get(browser.site + f"?embed={widget}")
        wait_for(browser, lambda d: d.find_elements(By.ID, f"{rows}-1"), 180)
        time.sleep(1)
        kinds = [e.text for e in browser.find_elements(
            By.CSS_SELECTOR, f"[id^='{rows}-'] th code")]
        assert sorted(kinds) == ["elastic_net", "ridge"], (widget, kinds)
        assert not browser.find_elements(By.ID, "test-stale"), widget
