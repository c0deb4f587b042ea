"""Headless Chromium (Debian's `chromium` and `chromium-driver`) for tests that open a page.

Shared by every browser test (Data Docs, the report page): `browser` is a pytest fixture
(imported by conftest), `open_page(driver, path)` loads a local file and reports what ran.
Nothing is downloaded: Selenium is pointed at the system's binaries and told to stay offline
(its driver manager would otherwise try to fetch a driver). `.ci/run` installs the packages;
in CI a missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("LANDSCAPE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("LANDSCAPE_CHROMEDRIVER", "/usr/bin/chromedriver")
PAGE_LOAD_TIMEOUT_S = 60
# Set by any injected script or handler in a test payload; a page is safe when none ran.
PROBE = "__landscape_xss"


def xss_payloads(marker: str) -> list[str]:
    """Strings that run script if a page inserts them unescaped, each tagged with `marker`."""
    return [
        f"<script>window.{PROBE}=(window.{PROBE}||[]).concat('{marker}-script')</script>",
        f"<img src=x onerror=\"window.{PROBE}=(window.{PROBE}||[]).concat('{marker}-img')\">",
        f"<script>alert('{marker}')</script>",
    ]


@dataclass(frozen=True)
class PageCheck:
    alert: str | None  # the text of an alert the page opened
    ran: list[str]  # markers of injected scripts that ran
    text: str  # the page's visible text


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session, with JavaScript on (as a reader's browser)."""
    _require_browser()
    driver = _driver()
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()


def _driver(*extra_flags: str):
    """Headless Chromium through Selenium, offline (no driver download), as root in CI."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        *extra_flags,
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def _require_browser() -> None:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)


@pytest.fixture
def chromium() -> Iterator:
    """A fresh headless Chromium with a throwaway profile and a screen-sized window, for tests
    that click through a page and keep screenshots (`artifacts_dir`)."""
    _require_browser()
    profile = tempfile.mkdtemp(prefix="landscape-chromium-")
    session = _driver("--window-size=1400,1000", f"--user-data-dir={profile}")
    session.set_page_load_timeout(PAGE_LOAD_TIMEOUT_S)
    try:
        yield session
    finally:
        session.quit()
        shutil.rmtree(profile, ignore_errors=True)


def artifacts_dir(name: str) -> Path:
    """Where a test keeps its screenshots: `test-artifacts/<name>/`, emptied first."""
    root = Path(os.environ.get("LANDSCAPE_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def open_page(driver, path: Path) -> PageCheck:
    """Load `path` and say whether any injected script ran (an alert, or the probe set)."""
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException

    # A page waiting on an unreachable CDN is still inspected as it stands.
    with contextlib.suppress(TimeoutException):
        driver.get(Path(path).resolve().as_uri())
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        return PageCheck(text, [], "")
    except NoAlertPresentException:
        pass
    ran = driver.execute_script(f"return window.{PROBE} || []")
    return PageCheck(None, list(ran), driver.execute_script("return document.body.innerText"))
