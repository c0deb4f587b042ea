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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
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
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()


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
