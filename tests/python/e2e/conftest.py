"""End-to-end fixtures: the built site (dist/) served on 127.0.0.1 and a fresh headless Chromium
driven through chromedriver for every test. Each test's network log is checked at teardown:
nothing may be requested from anywhere but the local server."""
import functools
import http.server
import json
import mimetypes
import os
import pathlib
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[3]
DIST = ROOT / "dist"
SHOTS = ROOT / "target" / "e2e"
FIXTURES = ROOT / "tests" / "fixtures"
DATASETS = ROOT / "datasets"

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium look for drivers online
mimetypes.add_type("application/wasm", ".wasm")


SERVED = []  # every path the local server was asked for, in order


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        SERVED.append(self.path)
        super().do_GET()


@pytest.fixture(scope="session")
def site():
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run `trunk build --release --offline` first")
    handler = functools.partial(QuietHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def make_driver(site):
    """A headless Chromium with a profile and a download folder of its own."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="mlplay-e2e-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                "--window-size=1280,900", f"--user-data-dir={profile}", "--lang=en-US",
                # Any name lookup but the local server's fails, so a stray request would
                # also surface as a console error.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    downloads = tempfile.mkdtemp(prefix="mlplay-downloads-")
    opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.site = site
    driver.requested = []
    driver.downloads = pathlib.Path(downloads)
    # Downloads of any type go straight to the folder (a .py file would otherwise wait for a
    # person to confirm it).
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": downloads})
    return driver


def check_and_quit(driver, site, allowed_errors=()):
    """Nothing left 127.0.0.1 and nothing but the expected errors reached the console."""
    try:
        urls = requested_urls(driver)
        foreign = [u for u in urls if not is_local(u, site)]
        assert not foreign, f"requests left 127.0.0.1: {foreign}"
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and not any(a in e["message"] for a in allowed_errors)]
        assert not severe, f"console errors: {severe}"
    finally:
        driver.quit()


@pytest.fixture
def browser(site):
    driver = make_driver(site)
    driver.allowed_errors = []
    yield driver
    check_and_quit(driver, site, driver.allowed_errors)


@pytest.fixture
def fresh_browser(site):
    """A second browser with an empty profile, as on another learner's machine."""
    driver = make_driver(site)
    driver.allowed_errors = []
    yield driver
    check_and_quit(driver, site, driver.allowed_errors)


def is_local(url, site):
    """Network URLs must go to the local site; browser-internal schemes (chrome:, data:, blob:)
    never touch the network."""
    if url.split(":", 1)[0] not in ("http", "https", "ws", "wss", "ftp"):
        return True
    return url.startswith(site)


def requested_urls(driver):
    """Every URL the page asked for so far (from Chromium's performance log)."""
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            driver.requested.append(msg["params"]["request"]["url"])
    return driver.requested


def wait_for(driver, predicate, timeout=30):
    return WebDriverWait(driver, timeout).until(lambda d: predicate(d))


def shot(driver, name):
    driver.save_screenshot(str(SHOTS / name))


def full_shot(driver, name):
    """The whole page, not only the viewport."""
    import base64
    data = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"captureBeyondViewport": True, "fromSurface": True})
    (SHOTS / name).write_bytes(base64.b64decode(data["data"]))


INKED_PIXELS = """
const c = document.getElementById(arguments[0]);
if (!c) return -1;
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let n = 0;
for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
return n;
"""


def inked(driver, canvas_id):
    """How many pixels of a canvas are not near-white (-1 if there is no such canvas)."""
    return driver.execute_script(INKED_PIXELS, canvas_id)
