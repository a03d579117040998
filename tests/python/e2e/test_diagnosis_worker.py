"""The diagnosis runs in the engine worker: with a wide file (2,000 columns, the limit) and a long one
(200,000 rows, one stray word in a numeric column) the page keeps responding — no long task over
100 ms on the main thread where the browser reports long tasks — the diagnosis completes or is
cancelled, and a reload afterwards works."""
import random
import tempfile
import pathlib

import pytest
from selenium.webdriver.common.by import By

from conftest import shot, wait_for

LONG_TASK_LIMIT_MS = 100

# Long tasks on the page's thread (PerformanceObserver "longtask", Chromium; other browsers
# report none and the check is skipped there), with the span in which the page showed the
# worker's progress: from the first to the last time a 10 ms poll saw it running.
OBSERVE = """
window.__longTasks = [];
window.__running = [];
window.__longTaskSupported = !!(window.PerformanceObserver &&
  PerformanceObserver.supportedEntryTypes &&
  PerformanceObserver.supportedEntryTypes.includes('longtask'));
if (window.__longTaskSupported) {
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask'});
}
(function poll() {
  if (document.querySelector('#diagnosing progress')) {
    const now = performance.now();
    if (!window.__running.length) window.__running.push(now, now); else window.__running[1] = now;
  }
  setTimeout(poll, 10);
})();
return window.__longTaskSupported;
"""

# [all long tasks as [start, duration], the span the diagnosis was seen running]
LONG_TASKS = "return [window.__longTasks || [], window.__running || []];"

# How long the page takes to answer a click-like callback while the worker is busy.
RESPONSIVE = """
const done = arguments[arguments.length - 1];
const t = performance.now();
setTimeout(() => done(performance.now() - t), 0);
"""


@pytest.fixture(scope="module")
def files():
    work = pathlib.Path(tempfile.mkdtemp(prefix="mlplay-diagnosis-"))
    rng = random.Random(12)
    wide = work / "wide.csv"
    cols = 1999  # with the target: 2,000 columns, the documented limit
    with wide.open("w") as f:
        names = [f"c{j}" if j % 10 else f"k{j}" for j in range(cols)]
        f.write(",".join(names + ["target"]) + "\n")
        for _ in range(1000):
            row = []
            for j in range(cols):
                if j % 10 == 0:
                    row.append("abcde"[rng.randrange(5)])
                else:
                    row.append(f"{rng.random() * 100:.2f}")
            row.append(f"{rng.random() * 1000:.1f}")
            f.write(",".join(row) + "\n")
    long = work / "stray.csv"
    with long.open("w") as f:
        f.write("amount,shop,price\n")
        for i in range(200_000):
            amount = "unknown" if i == 123_456 else f"{i * 7 % 100_003}.{i % 100:02d}"
            f.write(f"{amount},{'nsew'[i % 4]},{1000 + i % 977}\n")
    return wide, long


def open_app(driver):
    driver.get(driver.site)
    wait_for(driver, lambda d: d.find_elements(By.ID, "bundled-ames"))


def loaded_shape(driver):
    try:
        rows = driver.find_element(By.ID, "row-count").get_attribute("data-value")
        cols = driver.find_element(By.ID, "col-count").get_attribute("data-value")
        return int(rows), int(cols)
    except Exception:
        return None


def upload(driver, path, shape):
    driver.find_element(By.ID, "file-input").send_keys(str(path))
    wait_for(driver, lambda d: loaded_shape(d) == shape, timeout=120)


def diagnosed(driver):
    return bool(driver.find_elements(By.ID, "analysis-ms")) and not driver.find_elements(
        By.ID, "diagnosing")


def assert_no_long_tasks(driver, supported):
    """No long task while the worker computes. (Printed too: every long task since the observer
    started, including leaving the Data page and drawing the finished diagnosis, which are the
    page's own rendering rather than the diagnosis.)"""
    if not supported:
        return
    tasks, running = driver.execute_script(LONG_TASKS)
    print(f"long tasks [start, ms]: {tasks}; diagnosis seen running: {running}")
    if not running:
        return  # finished before the page could show it running
    during = [d for start, d in tasks if running[0] <= start <= running[1]]
    assert max(during, default=0) <= LONG_TASK_LIMIT_MS, f"long tasks while diagnosing: {during}"


def test_a_wide_file_is_diagnosed_in_the_worker_and_the_page_keeps_responding(browser, files):
    wide, _ = files
    open_app(browser)
    upload(browser, wide, (1000, 2000))
    supported = browser.execute_script(OBSERVE)
    browser.execute_script("location.hash = '#/analyze'")
    # While the worker computes, the page answers at once.
    if browser.find_elements(By.ID, "diagnosing"):
        assert browser.execute_async_script(RESPONSIVE) < LONG_TASK_LIMIT_MS
    wait_for(browser, diagnosed, timeout=180)
    assert_no_long_tasks(browser, supported)
    # 1,799 numeric features: the matrix is too wide to draw; its pairs are still listed.
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "Too many columns for a readable heatmap" in text
    shot(browser, "diagnosis-wide.png")
    # A reload reads the kept file again and diagnoses it again.
    browser.refresh()
    wait_for(browser, lambda d: loaded_shape(d) == (1000, 2000) or diagnosed(d), timeout=120)
    wait_for(browser, diagnosed, timeout=180)


def test_a_running_diagnosis_can_be_cancelled_and_run_again(browser, files):
    wide, _ = files
    open_app(browser)
    upload(browser, wide, (1000, 2000))
    browser.execute_script("location.hash = '#/analyze'")
    button = wait_for(browser, lambda d: d.find_elements(By.ID, "cancel-diagnosis"), timeout=30)
    button[0].click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "diagnosis-cancelled"))
    browser.find_element(By.ID, "diagnose-again").click()
    wait_for(browser, diagnosed, timeout=180)


def test_a_long_file_with_a_stray_word_is_diagnosed_and_reloads(browser, files):
    _, long = files
    open_app(browser)
    supported = browser.execute_script(OBSERVE)
    upload(browser, long, (200_000, 3))
    # The long tasks of reading are the reader's; the diagnosis's are measured from here.
    supported = browser.execute_script(OBSERVE)
    browser.execute_script("location.hash = '#/analyze'")
    wait_for(browser, diagnosed, timeout=120)
    assert_no_long_tasks(browser, supported)
    note = browser.find_element(By.ID, "not-paired").text
    assert "amount" in note
    findings = browser.find_element(By.ID, "findings").text
    assert "amount" in findings
    browser.refresh()
    wait_for(browser, diagnosed, timeout=120)
    assert "amount" in browser.find_element(By.ID, "not-paired").text
