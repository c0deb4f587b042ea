"""A real headless Chromium for page tests: Debian's `chromium` and `chromium-driver`, driven
by Selenium (pinned in requirements.lock). Nothing is downloaded at test time: Selenium is
pointed at the system driver, so its driver manager never runs.

`.ci/run` installs the two packages on a fresh machine; in CI (`CI` set) a missing browser
fails the test instead of skipping it, so a green run always means the page was exercised.
Screenshots go to `test-artifacts/` (or `$LANDSCAPE_TEST_ARTIFACTS`), kept after the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BROWSER_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver",)
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1400,1000",
)


def _which(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def artifacts_dir(name: str) -> Path:
    """Where a test keeps its screenshots: `test-artifacts/<name>/`, emptied first."""
    root = Path(os.environ.get("LANDSCAPE_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def chromium() -> Iterator:
    """A Selenium WebDriver on headless Chromium with a fresh, throwaway profile."""
    browser, driver = _which(BROWSER_NAMES), _which(DRIVER_NAMES)
    if not (browser and driver):
        message = "chromium and chromium-driver are not installed (apt-get install them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="landscape-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    try:
        yield session
    finally:
        session.quit()
        shutil.rmtree(profile, ignore_errors=True)
