"""End-to-end fixtures: the built site (dist/) served on 127.0.0.1 and a fresh browser driven
through WebDriver for every test. The engine comes from MLPLAY_E2E_ENGINE: `chromium` (Debian's
Chromium with chromedriver, the default), `firefox` (Firefox ESR with geckodriver) or `webkit`
(WebKitGTK's MiniBrowser with WebKitWebDriver, which needs a display: run it under xvfb-run).
scripts/test runs the suite once per engine.

Nothing may be requested from anywhere but the local server. Chromium's performance log lists
every request; Firefox and WebKit are pointed at a proxy on 127.0.0.1 that answers nothing and
records what reached it (the local site bypasses it), so any request that would have left the
machine shows up there."""
import base64
import functools
import http.server
import json
import mimetypes
import os
import pathlib
import socket
import socketserver
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.firefox.service import Service as FirefoxService
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[3]
DIST = ROOT / "dist"
ENGINE = os.environ.get("MLPLAY_E2E_ENGINE", "chromium")
assert ENGINE in ("chromium", "firefox", "webkit"), f"unknown MLPLAY_E2E_ENGINE {ENGINE!r}"
# Chromium's screenshots stay where they always were; the other engines' go beside them.
SHOTS = ROOT / "target" / "e2e" / ("" if ENGINE == "chromium" else ENGINE)
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


class ProxyTrap(socketserver.ThreadingTCPServer):
    """A proxy on 127.0.0.1 that forwards nothing: it records each request's target and closes.
    Firefox and WebKit send every non-local request here, so a request that would have left the
    machine is seen rather than silently failing."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.seen = []
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.settimeout(5)
            try:
                head = self.request.recv(4096).decode("latin-1")
            except OSError:
                return
            line = head.split("\r\n", 1)[0].split(" ")
            if len(line) >= 2:
                target = line[1]
                if line[0] == "CONNECT":
                    target = "https://" + target
                self.server.seen.append(target)
            try:
                self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass


@pytest.fixture(scope="session")
def proxy_trap():
    trap = ProxyTrap()
    thread = threading.Thread(target=trap.serve_forever, daemon=True)
    thread.start()
    yield trap
    trap.shutdown()


# Firefox's background services, each of which would otherwise phone home.
FIREFOX_PREFS = {
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.unified": False,
    "toolkit.telemetry.server": "", "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False, "app.update.enabled": False,
    "app.update.auto": False, "app.normandy.enabled": False, "app.shield.optoutstudies.enabled": False,
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "", "browser.safebrowsing.downloads.remote.enabled": False,
    "extensions.update.enabled": False, "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False, "browser.search.update": False,
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "browser.newtabpage.enabled": False, "browser.startup.homepage": "about:blank",
    "browser.shell.checkDefaultBrowser": False, "browser.topsites.contile.enabled": False,
    "browser.newtabpage.activity-stream.feeds.topsites": False,
    "browser.region.update.enabled": False, "services.settings.server": "data:,#remote-settings-dummy/v1",
    "security.remote_settings.crlite_filters.enabled": False, "security.remote_settings.intermediates.enabled": False,
    "browser.ping-centre.telemetry": False, "network.trr.mode": 5, "network.dns.disablePrefetch": True,
    "network.prefetch-next": False, "media.gmp-manager.url": "", "geo.provider.network.url": "",
    "intl.accept_languages": "en-US", "intl.locale.requested": "en-US",
    # Downloads go straight to the test's folder.
    "browser.download.folderList": 2, "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.manager.showWhenStarting": False,
    # The downloads panel would open over the page and take the window's focus, so a field
    # left with Tab would no longer fire its change event.
    "browser.download.alwaysOpenPanel": False, "browser.download.panel.shown": True,
    "browser.helperApps.neverAsk.saveToDisk": ",".join([
        "text/csv", "text/plain", "text/markdown", "text/html", "text/x-python", "application/zip",
        "application/json", "application/octet-stream", "application/x-ipynb+json",
        "image/svg+xml"]),
    "pdfjs.disabled": True,
}


def _chromium(profile, downloads):
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
    opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    # Downloads of any type go straight to the folder (a .py file would otherwise wait for a
    # person to confirm it).
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": downloads})
    return driver


def _firefox(profile, downloads, trap_port):
    opts = webdriver.FirefoxOptions()
    opts.binary_location = "/usr/bin/firefox-esr"
    opts.add_argument("-headless")
    prefs = dict(FIREFOX_PREFS)
    prefs.update({"browser.download.dir": downloads,
                  # Everything but 127.0.0.1 goes to the trap (Firefox never proxies loopback).
                  "network.proxy.type": 1, "network.proxy.http": "127.0.0.1",
                  "network.proxy.http_port": trap_port, "network.proxy.ssl": "127.0.0.1",
                  "network.proxy.ssl_port": trap_port, "network.proxy.no_proxies_on": "",
                  "network.proxy.allow_hijacking_localhost": False})
    for k, v in prefs.items():
        opts.set_preference(k, v)
    gecko = os.environ.get("GECKODRIVER", os.path.expanduser("~/.cargo/bin/geckodriver"))
    # Release builds honour services.settings.server only with this set.
    env = dict(os.environ, MOZ_REMOTE_SETTINGS_DEVTOOLS="1")
    service = FirefoxService(gecko, log_output=os.path.join(profile, "geckodriver.log"), env=env)
    driver = webdriver.Firefox(service=service, options=opts)
    driver.set_window_size(1280, 900)
    return driver


def _webkit(downloads, trap_port):
    from selenium.webdriver.common.proxy import Proxy
    from selenium.webdriver.webkitgtk.options import Options as WebKitOptions
    from selenium.webdriver.webkitgtk.service import Service as WebKitService
    opts = WebKitOptions()
    opts.binary_location = os.environ.get("MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
    opts.add_argument("--automation")
    trap = f"127.0.0.1:{trap_port}"
    opts.proxy = Proxy({"proxyType": "manual", "httpProxy": trap, "sslProxy": trap,
                        "noProxy": ["127.0.0.1"]})
    env = dict(os.environ, LANG="en_US.UTF-8", LANGUAGE="en_US")
    # Now and then MiniBrowser never comes up and WebKitWebDriver waits for it for good: give
    # each start a minute, then stop that driver and start another.
    import concurrent.futures
    for attempt in range(3):
        service = WebKitService("/usr/bin/WebKitWebDriver", env=env)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        start = pool.submit(webdriver.WebKitGTK, service=service, options=opts)
        try:
            driver = start.result(timeout=60)
        except concurrent.futures.TimeoutError:
            service.stop()
            pool.shutdown(wait=False)
            continue
        pool.shutdown(wait=False)
        driver.set_window_size(1280, 900)
        return driver
    raise RuntimeError("WebKitWebDriver did not start MiniBrowser in three attempts")


def make_driver(site, trap):
    """A fresh browser of the chosen engine with a profile and a download folder of its own."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="mlplay-e2e-")
    downloads = tempfile.mkdtemp(prefix="mlplay-downloads-")
    if ENGINE == "chromium":
        driver = _chromium(profile, downloads)
    elif ENGINE == "firefox":
        driver = _firefox(profile, downloads, trap.server_address[1])
    else:
        driver = _webkit(downloads, trap.server_address[1])
    driver.engine = ENGINE
    driver.site = site
    driver.trap = trap
    driver.requested = []
    driver.downloads = pathlib.Path(downloads)
    return driver


def check_and_quit(driver, site, allowed_errors=()):
    """Nothing left 127.0.0.1 and nothing but the expected errors reached the console (the
    console is read where the engine's driver offers it: Chromium)."""
    try:
        urls = requested_urls(driver)
        foreign = [u for u in urls if not is_local(u, site)]
        assert not foreign, f"requests left 127.0.0.1: {foreign}"
        if driver.engine == "chromium":
            severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                      and not any(a in e["message"] for a in allowed_errors)]
            assert not severe, f"console errors: {severe}"
    finally:
        driver.quit()


@pytest.fixture
def browser(site, proxy_trap):
    driver = make_driver(site, proxy_trap)
    driver.allowed_errors = []
    yield driver
    check_and_quit(driver, site, driver.allowed_errors)


@pytest.fixture
def fresh_browser(site, proxy_trap):
    """A second browser with an empty profile, as on another learner's machine."""
    driver = make_driver(site, proxy_trap)
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
    """Every URL the page asked for so far: from Chromium's performance log, or what reached the
    proxy trap (shared by the test's browsers, so a stray request fails whichever test is on)."""
    if driver.engine != "chromium":
        seen, driver.trap.seen[:] = list(driver.trap.seen), []
        driver.requested.extend(seen)
        return driver.requested
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            driver.requested.append(msg["params"]["request"]["url"])
    return driver.requested


def wait_for(driver, predicate, timeout=30):
    """Poll `predicate` until it holds. An element found and then replaced before it is read
    (the page re-rendered or reloaded in between) is polled again rather than failing: WebKit's
    driver reports that as a stale element where the others happen to read the new one."""
    from selenium.common.exceptions import StaleElementReferenceException
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)) \
        .until(lambda d: predicate(d))


def shot(driver, name):
    driver.save_screenshot(str(SHOTS / name))


def full_shot(driver, name):
    """The whole page, not only the viewport (where the engine can: WebKit takes the viewport)."""
    if driver.engine == "firefox":
        (SHOTS / name).write_bytes(driver.get_full_page_screenshot_as_png())
        return
    if driver.engine == "webkit":
        driver.save_screenshot(str(SHOTS / name))
        return
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


# WebKitGTK's driver has no download folder: there the page's downloads are caught in the page.
# The page makes every download as a blob URL clicked on an <a download>; this remembers each
# blob and, on such a click, keeps the bytes (base64) under the file's name instead.
CATCH_DOWNLOADS = """
if (!window.__mlplayDownloads) {
  window.__mlplayDownloads = {};
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = function (blob) { const u = create.call(URL, blob); blobs.set(u, blob); return u; };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    const blob = blobs.get(this.href);
    if (!(this.download && blob)) return click.call(this);
    const name = this.download;
    const reader = new FileReader();
    reader.onload = () => { window.__mlplayDownloads[name] = String(reader.result).split(',')[1] || ''; };
    reader.readAsDataURL(blob);
  };
}
"""


def catch_downloads(driver):
    """Call before clicking a download button (again after any navigation)."""
    if driver.engine == "webkit":
        driver.execute_script(CATCH_DOWNLOADS)


def wait_download(driver, name, timeout=30):
    """The downloaded file's path, once it is complete."""
    import time
    folder = driver.downloads
    path = folder / name
    end = time.time() + timeout
    while time.time() < end:
        if driver.engine == "webkit":
            data = driver.execute_script("return (window.__mlplayDownloads || {})[arguments[0]];", name)
            if data is not None:
                path.write_bytes(base64.b64decode(data))
                return path
        elif path.exists() and not list(folder.glob("*.crdownload")) and not list(folder.glob("*.part")):
            return path
        time.sleep(0.2)
    raise AssertionError(f"{name} was not downloaded: {list(folder.iterdir())}")
