"""The report page's model explorer in a real headless Chromium, on the full replay snapshot:
search, sort, filter, open a model (its fields with their records, conflicts, history).

Screenshots of each step stay in `test-artifacts/explorer/` for a reviewer to look at.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from ai_landscape.report.build import build_report
from tests.browser import artifacts_dir
from tests.commands.test_lookup import DEEPSEEK_R1_SEARCH

pytestmark = pytest.mark.browser
TOTAL = 3568


def count_text(driver) -> str:
    return driver.find_element(By.ID, "explorer-count").text


def wait_count(driver, shown: int, total: int = TOTAL) -> None:
    wanted = f"Showing {shown:,} of {total:,} models"
    WebDriverWait(driver, 10).until(lambda d: count_text(d) == wanted, f"never {wanted!r}")


def row_ids(driver) -> list[str]:
    """The ids of the rows drawn, read in one step (the table redraws as it scrolls)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#explorer-table tbody tr.model'))"
        ".map(r => r.dataset.id);"
    )


def open_page(driver, page, fragment: str = "") -> None:
    driver.get(page.as_uri() + fragment)
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "explorer").get_attribute("data-ready") == "true"
    )
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def fields_table(driver) -> dict[str, tuple[str, str]]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#explorer-fields tr")[1:]
    cells = [[c.text for c in r.find_elements(By.CSS_SELECTOR, "th, td")] for r in rows]
    return {field: (value, source) for field, value, source in cells}


def test_search_sort_filter_and_open_a_model(full_replay, chromium, tmp_path):
    shots = artifacts_dir("explorer")
    report = build_report(full_replay.root, "latest", tmp_path / "report")
    models = full_replay.read_table("models")
    open_page(chromium, report.page)
    wait_count(chromium, TOTAL)
    # Newest first; only the rows in view are in the page, not all 3568.
    newest = models.sort_values(["release_date", "model_id"], ascending=[False, True])
    assert row_ids(chromium)[0] == newest["model_id"].iloc[0]
    assert len(row_ids(chromium)) < 100
    chromium.save_screenshot(str(shots / "0-loaded.png"))

    # Search: every word must match.
    chromium.find_element(By.ID, "explorer-search").send_keys("deepseek r1")
    wait_count(chromium, 10)
    # As `landscape models --search` lists them; ties on the date may come in another order.
    assert row_ids(chromium)[:2] == DEEPSEEK_R1_SEARCH[:2]
    assert sorted(row_ids(chromium)) == sorted(DEEPSEEK_R1_SEARCH)
    chromium.save_screenshot(str(shots / "1-search.png"))

    # Sort by parameters: largest first, then smallest first (missing values stay last).
    chromium.find_element(By.ID, "explorer-reset").click()
    wait_count(chromium, TOTAL)
    header = chromium.find_element(By.CSS_SELECTOR, "th[data-col=parameters]")
    header.click()
    # Ties keep the table's order: the first listed of the largest, then of the smallest.
    largest = models[models["parameters"] == models["parameters"].max()]["model_id"]
    smallest = models[models["parameters"] == models["parameters"].min()]["model_id"]
    assert header.get_attribute("aria-sort") == "descending"
    assert row_ids(chromium)[:2] == largest.iloc[:2].tolist()
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert row_ids(chromium)[0] == smallest.iloc[0]
    chromium.save_screenshot(str(shots / "2-sorted.png"))

    # Filter: open-restricted weights, confirmed large-scale, from China.
    Select(chromium.find_element(By.ID, "filter-access")).select_by_value("open_restricted")
    Select(chromium.find_element(By.ID, "filter-scale")).select_by_value("confirmed")
    Select(chromium.find_element(By.ID, "filter-group")).select_by_value("CN")
    expected = models[
        (models["weights_access"] == "open_restricted")
        & (models["large_scale"] == "confirmed")
        & models["country_codes"].map(lambda codes: "CN" in codes and "US" not in codes)
    ]
    wait_count(chromium, len(expected))
    assert len(expected) == 33
    assert set(row_ids(chromium)) == set(expected["model_id"])
    chromium.save_screenshot(str(shots / "3-filtered.png"))

    # Open a model: its fields with the record each came from, and where sources disagree.
    chromium.find_element(By.ID, "explorer-reset").click()
    chromium.find_element(By.ID, "explorer-search").send_keys("openai/o3")
    WebDriverWait(chromium, 10).until(lambda d: "openai/o3" in row_ids(d))
    chromium.find_element(By.CSS_SELECTOR, 'tr.model[data-id="openai/o3"]').click()
    title = chromium.find_element(By.ID, "explorer-detail-title")
    assert title.text == "o3 (openai/o3)"
    fields = fields_table(chromium)
    o3 = models.set_index("model_id").loc["openai/o3"]
    provenance = json.loads(o3["provenance"])
    assert fields["release_date"] == ("2024-12-20", provenance["release_date"])
    assert fields["weights_access"] == ("api", provenance["weights_access"])
    assert fields["openrouter_ids"] == ("openai/o3", provenance["openrouter_ids"])
    detail = chromium.find_element(By.ID, "explorer-detail").text
    assert "Where its sources disagree (4)" in detail
    assert "release_date epoch.large_scale 2024-12-20 chosen" in detail
    assert "release_date feeds.openai_news 2025-04-16\n" in detail
    chromium.save_screenshot(str(shots / "4-model.png"))


def test_a_model_opens_with_its_history(replay_store, chromium, tmp_path):
    """On the two-snapshot store: a model whose access changed shows that change."""
    shots = artifacts_dir("explorer-history")
    report = build_report(replay_store.root, "latest", tmp_path / "report")
    events = replay_store_events(replay_store)
    once = events.groupby("model_id")["event_type"].transform("size") == 1
    changed = events[once & (events["event_type"] == "access_changed")]
    changed = changed.sort_values("model_id").iloc[0]
    open_page(chromium, report.page, f"#model={changed['model_id']}")
    history = chromium.find_elements(By.CSS_SELECTOR, "#explorer-history tr")[1:]
    cells = [[c.text for c in r.find_elements(By.CSS_SELECTOR, "th, td")] for r in history]
    assert [c[1:] for c in cells] == [
        ["access_changed", "weights_access", changed["old"], changed["new"]]
    ]
    chromium.execute_script("arguments[0].scrollIntoView()", history[0])
    chromium.save_screenshot(str(shots / "history.png"))


def replay_store_events(replay_store):
    from ai_landscape.publish.warehouse import open_store

    return open_store(replay_store.root).read_table("events", replay_store.second)
