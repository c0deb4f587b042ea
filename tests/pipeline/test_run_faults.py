"""Smaller faults of #14 through whole runs and the Epoch parser, on the real export.

Corrupted copies of the recorded `frontier` export (data/replay/epoch) stand in for what a
source or an attacker could serve: a model quarantined by validation, a 10 MB model name, an
HTML page served as the CSV, a header line repeated mid-file, a duplicated column.
"""

from __future__ import annotations

import io
import threading
import time

import pandas as pd
import pytest

from ai_landscape.publish.warehouse import open_store
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.epoch.parse import parse_csv
from ai_landscape.validate.fieldlimits import QUARANTINE_FILE
from tests import fault_servers as fs
from tests.conftest import REPLAY_EPOCH

FRONTIER = REPLAY_EPOCH / "frontier_ai_models.csv"


def export_with(tmp_path, name: str, **cells) -> str:
    """The real frontier export with some cells of `Grok 4`'s row replaced."""
    frame = pd.read_csv(FRONTIER, dtype=str, keep_default_na=False)
    row = frame.index[frame["Model"] == "Grok 4"][0]
    for column, value in cells.items():
        frame.loc[row, column] = value
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def run(warehouse, path: str, timeout: float = 600):
    """One replay run of epoch.frontier from `path`, in a thread a hang cannot outlive."""
    from ai_landscape.flow import refresh_landscape

    outcome: dict = {}

    def target():
        started = time.monotonic()
        outcome["summary"] = refresh_landscape(
            mode="replay",
            sources=["epoch.frontier"],
            source_urls={"epoch.frontier": path},
            warehouse=str(warehouse),
        )
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the run was still going after {timeout} s"
    return outcome["summary"], outcome["seconds"]


@pytest.mark.integration
def test_quarantined_model_leaves_an_event_and_a_lost_report_is_redrawn(prefect_harness, tmp_path):
    warehouse = tmp_path / "warehouse"
    first, _ = run(warehouse, str(FRONTIER))
    assert first.status == "published"
    # Training compute of 1e35 FLOP is outside the plausible range: a row-level failure.
    implausible = {"Training compute (FLOP)": "1e35"}
    second, _ = run(warehouse, export_with(tmp_path, "b.csv", **implausible))
    assert second.status == "published"
    store = open_store(warehouse)
    events = store.read_table("events", second.snapshot_id)
    removed = events[events["event_type"] == "model_removed"]
    assert removed[["model_id", "field", "old", "evidence"]].to_dict("records") == [
        {
            "model_id": "xai/grok-4",
            "field": "validation",
            "old": "Grok 4",
            "evidence": f"quarantine:{second.snapshot_id[:16]}",
        }
    ]
    assert removed["new"].iloc[0].startswith("quarantined: ")
    assert "compute_in_range" in removed["new"].iloc[0]

    # A crash while drawing the report: its page is missing. The next run (same data) has
    # nothing to publish but draws the report again.
    page = warehouse / "_reports" / second.snapshot_id / "index.html"
    page.unlink()
    third, _ = run(warehouse, export_with(tmp_path, "c.csv", **implausible))
    assert third.status == "unchanged"
    assert third.report == str(page)
    assert page.is_file()


@pytest.mark.integration
def test_a_10_mb_model_name_is_held_out_before_resolution(prefect_harness, tmp_path):
    warehouse = tmp_path / "warehouse"
    huge = "Grok " + "x" * 10_000_000
    summary, seconds = run(warehouse, export_with(tmp_path, "huge.csv", Model=huge), timeout=300)
    assert summary.status == "published"
    assert seconds < 120
    store = open_store(warehouse)
    manifest = store.manifest(summary.snapshot_id)
    limits = manifest["validation"]["field_limits"]
    assert limits["held"] == 1
    assert limits["by_dataset"] == {"epoch.frontier": 1}
    held = pd.read_parquet(warehouse / limits["file"])
    assert held[["field", "length", "_quarantined_by"]].to_dict("records") == [
        {
            "field": "name",
            "length": len(huge),
            "_quarantined_by": "field_length: name over 300 characters",
        }
    ]
    assert limits["file"].endswith(QUARANTINE_FILE)
    assert summary.rows["models"] == 136  # the other 136 of the export's 137 models


def test_an_html_page_served_as_the_csv_is_named_as_such():
    with pytest.raises(SourceSchemaError) as err:
        parse_csv(fs.HtmlAsCsv.PAGE, "frontier", "https://epoch.ai/data/frontier_ai_models.csv")
    assert str(err.value) == (
        "https://epoch.ai/data/frontier_ai_models.csv: an HTML page where CSV was expected (an "
        "error page served with status 200?); its heading: 'Just a moment...'"
    )


def test_a_header_line_repeated_mid_file_is_refused():
    frame = pd.read_csv(FRONTIER, dtype=str, keep_default_na=False)
    header = pd.DataFrame([list(frame.columns)], columns=frame.columns)
    joined = pd.concat([frame.iloc[:49], header, frame.iloc[49:]])  # two exports glued together
    out = io.StringIO()
    joined.to_csv(out, index=False)
    with pytest.raises(SourceSchemaError) as err:
        parse_csv(out.getvalue().encode(), "frontier", "frontier.csv")
    assert str(err.value) == (
        "frontier.csv: record 50 repeats the header row (two exports joined into one file?)"
    )


def test_a_duplicated_column_is_refused():
    frame = pd.read_csv(FRONTIER, dtype=str, keep_default_na=False)
    out = io.StringIO()
    frame.rename(columns={"Domain": "Model"}).to_csv(out, index=False)
    with pytest.raises(SourceSchemaError) as err:
        parse_csv(out.getvalue().encode(), "frontier", "frontier.csv")
    assert str(err.value) == "frontier.csv: column 'Model' appears more than once"


@pytest.mark.integration
def test_a_run_past_its_deadline_stops_and_publishes_nothing(prefect_harness, tmp_path):
    """`--deadline` (here 20 s) bounds the whole run: the drip-fed fetch is cut when the run's
    time is up, not at the fetch's own 120 s, and the run fails naming the deadline."""
    from ai_landscape.flow import RunFailed, refresh_landscape

    warehouse = tmp_path / "warehouse"
    with fs.serve(fs.DripBody) as base:
        started = time.monotonic()
        state = refresh_landscape(
            mode="live",
            sources=["epoch.frontier"],
            source_urls={"epoch.frontier": f"{base}/frontier_ai_models.csv"},
            warehouse=str(warehouse),
            deadline_seconds=20,
            return_state=True,
        )
        seconds = time.monotonic() - started
    assert state.is_failed()
    error = state.result(raise_on_failure=False)
    assert isinstance(error, RunFailed)
    assert error.summary.errors[-1] == (
        "the run's deadline of 20 s passed during fetching; nothing was published (raise "
        "LANDSCAPE_RUN_DEADLINE_SECONDS or --deadline to allow longer runs)"
    )
    assert seconds < 40
    assert not list(warehouse.glob("_manifests/*.json"))
