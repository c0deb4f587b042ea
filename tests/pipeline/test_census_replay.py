"""The census in the refresh flow, replayed from the real recorded dumps: published tables,
manifest, validation, report section; the same census on Dask; a failing census carried over."""

from __future__ import annotations

import os

import duckdb
import pyarrow.parquet as pq
import pytest

from ai_landscape.flow import refresh_landscape
from ai_landscape.ops.runners import make_task_runner
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.build import build_report
from tests.census_server import replay_with_page_30_cut

pytestmark = pytest.mark.usefixtures("prefect_harness")

REPOS = 52_406  # every repo of the 53 recorded pages, none listed twice
LINEAGE_ROWS = 287  # (base, month, relation, licence) groups of the 1,605 repos naming a base
ACCESS = {
    "unknown": 35_545,  # no licence (most of the 2022 scrape and the search hits), or `other`
    "open_unrestricted": 14_792,
    "open_restricted": 1_595,
    "open_noncommercial": 474,
}
# Base-model tags exist only in the 1,642 ModelInfo records; the CSV dumps and the 2022
# scrape carry none, so 50,801 repos have no relation.
RELATIONS = {None: 50_801, "finetune": 1_594, "quantized": 6, "unspecified": 4, "adapter": 1}
TOP_FAMILIES = {"llama-2": 453, "gemma": 348, "phi-2": 306, "deepseek-r1": 301, "deepseek-v3": 78}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("census") / "warehouse"
    summary = refresh_landscape(mode="replay", warehouse=str(warehouse))
    return warehouse, summary


def test_the_replay_census_is_published_and_validated(replayed):
    warehouse, summary = replayed
    assert summary.status == "published"
    assert summary.rows["hub_repos"] == REPOS
    assert summary.rows["hub_lineage"] == LINEAGE_ROWS
    info = summary.sources["huggingface.census"]
    assert (info["status"], info["records"], info["pages"], info["pages_fetched"]) == (
        "ok",
        REPOS,
        53,
        53,
    )
    manifest = open_store(warehouse).manifest("latest")
    assert manifest["tables"]["hub_repos"]["rows"] == REPOS
    assert manifest["validation"]["census"]["publishable"] is True
    assert not (warehouse / "_census" / "runs").exists() or not any(
        (warehouse / "_census" / "runs").iterdir()
    )
    # The cursor of a published census is archived: the next census starts afresh.
    cursors = warehouse / "_raw" / "huggingface" / "census" / "_cursor"
    assert [p.suffix for p in cursors.iterdir()] == [".done"]


def test_replay_census_figures(replayed):
    warehouse, _ = replayed
    glob = f"{warehouse}/hub_repos/*/*.parquet"
    by_access = dict(
        duckdb.sql(f"select weights_access, count(*) from '{glob}' group by 1").fetchall()
    )
    assert by_access == ACCESS
    relations = dict(duckdb.sql(f"select relation, count(*) from '{glob}' group by 1").fetchall())
    assert relations == RELATIONS
    lineage = open_store(warehouse).read_table("hub_lineage")
    top = lineage.groupby("base_family")["repos"].sum().sort_values(ascending=False).head(5)
    assert top.to_dict() == TOP_FAMILIES
    # Roots linked to a model of `models` take its organization and country.
    r1 = lineage[lineage["root_repo_id"] == "deepseek-ai/deepseek-r1"]
    assert set(r1["base_model_id"]) == {"deepseek/deepseek-r1"}
    assert r1["base_country_codes"].map(tuple).unique().tolist() == [("CN",)]


def test_the_report_has_the_census_section(replayed):
    warehouse, summary = replayed
    report = build_report(warehouse, summary.snapshot_id, out=warehouse.parent / "report")
    page = report.page.read_text("utf-8")
    assert "7. The Hugging Face Hub census: derivatives and licences" in page
    assert (report.folder / "hub_derivatives.png").stat().st_size > 10_000
    mix = report.tables["hub_licence_mix"].read_text("utf-8").splitlines()
    assert mix[0] == "quarter,licence,repos"
    assert sum(int(line.rsplit(",", 1)[1]) for line in mix[1:]) == REPOS


def test_a_census_that_fails_is_carried_over_stale(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse"
    sources = ["huggingface.census", "epoch.frontier"]
    first = refresh_landscape(mode="replay", sources=sources, warehouse=str(warehouse))
    monkeypatch.setenv("LANDSCAPE_REPLAY_DIR", str(replay_with_page_30_cut(tmp_path / "replay")))
    again = refresh_landscape(mode="replay", sources=sources, warehouse=str(warehouse))
    info = again.sources["huggingface.census"]
    assert info["status"] == "stale"
    assert info["error"].endswith(
        "&cursor=replay-030: census page 30 is not a complete JSON array (2 bytes, ends with "
        "b'[{'): truncated? Kept in the raw zone; not resumed from"
    )
    assert again.rows["hub_repos"] == REPOS
    # The carried-over rows are the previous census's, byte for byte: with nothing else
    # changed the snapshot is unchanged (the run's summary says the census is stale).
    assert (again.status, again.latest_id) == ("unchanged", first.snapshot_id)


@pytest.mark.integration
def test_the_census_on_dask_publishes_what_threads_publish(tmp_path):
    warehouse = tmp_path / "warehouse"
    sources = ["huggingface.census", "epoch.frontier"]
    on_threads = refresh_landscape(mode="replay", sources=sources, warehouse=str(warehouse))
    assert on_threads.status == "published"
    on_dask = refresh_landscape.with_options(task_runner=make_task_runner("dask"))(
        mode="replay", sources=sources, warehouse=str(warehouse)
    )
    assert on_dask.status == "unchanged"  # same rows; first_seen kept from the first run
    assert on_dask.sources["huggingface.census"]["records"] == REPOS
    part = open_store(warehouse).table_path("hub_repos", on_threads.snapshot_id)
    assert pq.ParquetFile(part).metadata.num_row_groups == 1
    assert os.path.getsize(part) < 10 * 2**20
