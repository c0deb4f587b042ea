"""Benchmark: the report page's model explorer with 100,000 models, built and used in Chromium.

SYNTHETIC rows: the real replay `models` rows resampled with replacement, ids and names made
distinct (`bench/validate.py`'s `synthetic_models`), so every column, provenance included,
keeps its real distribution. Prints the page's build time and size, then (with Debian's
chromium and chromium-driver installed) what a reader waits for in headless Chromium: the
page ready, a search, a sort, a filter, opening a model.

    .venv/bin/python bench/explorer.py [--rows N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `tests.browser`, `bench.validate`

from bench.validate import synthetic_models  # noqa: E402
from tests.browser import BROWSER_NAMES, DRIVER_NAMES, FLAGS  # noqa: E402

from ai_landscape.report.explorer import explorer_html, model_data  # noqa: E402
from ai_landscape.report.page import Section, render_page  # noqa: E402

# Runs in the page: time one synchronous action (sort, filter: handlers run on dispatch).
TIMED = """
const t = performance.now();
%s
return performance.now() - t;
"""
# Search is debounced (120 ms): time from typing to the count changing.
SEARCH = """
const done = arguments[arguments.length - 1];
const count = document.getElementById('explorer-count');
const before = count.textContent;
const input = document.getElementById('explorer-search');
const t = performance.now();
new MutationObserver((_, obs) => {
  obs.disconnect();
  done([performance.now() - t, count.textContent]);
}).observe(count, {childList: true, characterData: true, subtree: true});
input.value = arguments[0];
input.dispatchEvent(new Event('input'));
"""


def build(rows: int, folder: Path) -> Path:
    models = synthetic_models(rows, seed=7)
    t0 = time.perf_counter()
    data = model_data(models, pd.DataFrame(), pd.DataFrame())
    html = render_page(
        "explorer benchmark (SYNTHETIC rows)",
        {},
        [Section("Every model", html=explorer_html(data))],
    )
    page = folder / "index.html"
    page.write_text(html, "utf-8")
    seconds = time.perf_counter() - t0
    print(f"build: {rows:,} models in {seconds:.2f} s, page {page.stat().st_size / 2**20:.1f} MiB")
    return page


def browse(page: Path) -> None:
    browser = next((p for n in BROWSER_NAMES if (p := shutil.which(n))), None)
    driver_path = next((p for n in DRIVER_NAMES if (p := shutil.which(n))), None)
    if not (browser and driver_path):
        print("chromium / chromedriver not installed: browser figures skipped")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    profile = tempfile.mkdtemp(prefix="landscape-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        t0 = time.perf_counter()
        driver.get(page.as_uri())
        WebDriverWait(driver, 120).until(
            lambda d: d.find_element(By.ID, "explorer").get_attribute("data-ready") == "true"
        )
        print(f"open: page ready in {time.perf_counter() - t0:.2f} s (load, parse, first draw)")
        ms, shown = driver.execute_async_script(SEARCH, "llama 70b")
        print(f"search 'llama 70b': {ms:.0f} ms incl. 120 ms debounce -> {shown}")
        click = "document.querySelector('th[data-col=%s]').click();"
        for column in ("parameters", "name"):
            ms = driver.execute_script(TIMED % (click % column))
            print(f"sort by {column}: {ms:.0f} ms")
        driver.execute_async_script(SEARCH, "")
        pick = (
            "const s = document.getElementById('filter-access'); s.value = 'api';"
            "s.dispatchEvent(new Event('change'));"
        )
        ms = driver.execute_script(TIMED % pick)
        shown = driver.find_element(By.ID, "explorer-count").text
        print(f"filter access = api: {ms:.0f} ms -> {shown}")
        ms = driver.execute_script(TIMED % "document.querySelector('tr.model').click();")
        print(f"open a model: {ms:.0f} ms")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        browse(build(args.rows, Path(folder)))


if __name__ == "__main__":
    main()
