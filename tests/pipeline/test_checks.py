"""The gate as a run uses it (pipeline/checks.py): in the run's worker process, with the
same outcome as in the run's own, and never lost to a worker that died."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from ai_landscape.pipeline import checks
from ai_landscape.pipeline.checks import check_records, finish_data_docs, validate_tables
from ai_landscape.pipeline.ingest import DatasetResult
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.pipeline.worker import MAX_SENT_ROWS, RunWorker, sender, worker_result
from ai_landscape.submit import here
from tests.gate_frames import COUNTS, RUN, replay_records, row_of
from tests.real_frames import replay_results, replay_tables

ROOT = Path(__file__).resolve().parents[2]
SIDES = ("there", "here")
GX_PAGE = "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Data documentation compiled by Great"
VARYING = re.compile(
    r"\d{8}T\d{6}\.\d+Z|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def epoch_results() -> list[DatasetResult]:
    """The real Epoch records as ingest leaves them, one result per dataset."""
    return [
        DatasetResult(DatasetRequest(*key.split(".", 1), "replay"), "ok", records=frame)
        for key, frame in replay_records().items()
    ]


def previous_manifest() -> dict:
    return {"sources": {key: {"status": "ok", "records": n} for key, n in COUNTS.items()}}


def _stable(page: Path) -> str:
    return VARYING.sub("", page.read_text())


def _gopher_at_280(tables):
    """A real model given a parameter count its name contradicts: one row to quarantine."""
    tables["models"].loc[row_of(tables, "google/gopher-280b"), "parameters"] = 280.0
    return tables


def test_the_gate_in_the_worker_equals_the_gate_here(tmp_path):
    results = epoch_results()
    here = validate_tables(
        _gopher_at_280(replay_tables()), results, previous_manifest(), RUN, tmp_path / "here"
    )
    with RunWorker() as worker:
        records = check_records(results, previous_manifest(), (), worker.submit)
        there = validate_tables(
            _gopher_at_280(replay_tables()),
            results,
            previous_manifest(),
            RUN,
            tmp_path / "there",
            records_checked=records,
            submit=worker.submit,
        )
        # The worker's checks are plain text until their pages are drawn there (#17).
        docs = tmp_path / "there" / "_docs" / RUN
        plain = [p.read_text() for p in sorted(docs.iterdir()) if p.name != "index.html"]
        assert [page.startswith("<!doctype html><html><head>") for page in plain] == [True] * 5
        assert "epoch.frontier records" in plain[0]
        finish_data_docs(tmp_path / "there", RUN, there, None, worker.submit)
    assert there.summary == here.summary
    assert there.summary["quarantine"] == {
        "models": f"_quarantine/{RUN}/models.parquet",
        "source_records": f"_quarantine/{RUN}/source_records.parquet",
    }
    assert [r.to_dict() for r in there.reports] == [r.to_dict() for r in here.reports]
    assert len(there.reports) == 5
    for name, frame in here.tables.items():
        assert there.tables[name].equals(frame), name
    assert there.quarantined["models"]["model_id"].tolist() == ["google/gopher-280b"]
    docs = sorted(p.name for p in (tmp_path / "there" / "_docs" / RUN).iterdir())
    assert docs == sorted(p.name for p in (tmp_path / "here" / "_docs" / RUN).iterdir())
    assert len(docs) == 6  # 5 reports and the index
    # Rendered by GX in the worker, records and tables alike, as here: the pages differ only
    # in the time each was rendered and the ids GX draws for its collapsible blocks.
    for page in docs:
        there_page, here_page = (_stable(tmp_path / side / "_docs" / RUN / page) for side in SIDES)
        assert there_page == here_page, page
    assert _stable(tmp_path / "there" / "_docs" / RUN / docs[0]).startswith(GX_PAGE)
    assert all(r.gx_result is None for r in there.reports)


def test_a_process_that_validates_in_its_worker_never_imports_gx(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tests._checks_child", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "gx_imported": False,
        "rows": {
            "models": {"in": 1355, "published": 1355, "quarantined": 0},
            "source_records": {"in": 1658, "published": 1658, "quarantined": 0},
        },
        "reports": 5,
    }
    assert (tmp_path / "_docs" / RUN / "index.html").is_file()


def test_validation_whose_worker_died_runs_here_instead(tmp_path, caplog):
    results = epoch_results()
    here = validate_tables(replay_tables(), results, previous_manifest(), RUN, tmp_path / "here")
    with RunWorker() as worker:
        # Each job's worker is killed under it (a worker out of memory, say).
        def dying(fn, *args):
            return worker.submit(os._exit, 1)

        with caplog.at_level(logging.WARNING, logger="ai_landscape.pipeline.worker"):
            records = check_records(results, previous_manifest(), (), dying)
            there = validate_tables(
                replay_tables(),
                results,
                previous_manifest(),
                RUN,
                tmp_path / "there",
                records_checked=records,
                submit=dying,
            )
    assert there.summary == here.summary
    assert [r.to_dict() for r in there.reports] == [r.to_dict() for r in here.reports]
    died = [r.getMessage() for r in caplog.records]
    assert len(died) == 2
    assert died[0].endswith(": checked_records runs in this process")
    assert died[1].endswith(": checked_tables runs in this process")
    assert "the run's worker died (A process in the process pool was terminated abruptly" in died[0]


def test_worker_result_is_the_work_done_here_when_the_worker_died():
    with RunWorker() as worker:
        broken = worker.submit(os._exit, 1)
        assert worker_result(broken, sorted, [3, 1, 2]) == [1, 2, 3]
        assert worker_result(worker.submit(sorted, [2, 1]), sorted, [9]) == [1, 2]


def test_frames_over_the_row_limit_are_validated_here(tmp_path):
    """Production's MAX_SENT_ROWS: past it, a copy in another process would cost more memory
    than the overlap saves time (pipeline/worker.py)."""
    notable = replay_records()["epoch.notable"]  # 1,011 real rows, repeated past the limit
    big = pd.concat([notable] * (MAX_SENT_ROWS // len(notable) + 1), ignore_index=True)
    assert len(big) == 50_550
    sent = []

    def spy(fn, *args):
        sent.append(fn.__name__)
        return here(fn, *args)

    assert sender(spy, [big.iloc[:MAX_SENT_ROWS]]) is spy
    assert sender(spy, [big.iloc[: MAX_SENT_ROWS - 1], notable.iloc[:2]]) is here
    assert sender(None, [notable]) is here
    request = DatasetRequest("epoch", "notable", "replay")
    # Too many to send: left to the gate, in the validate stage (where its time is counted).
    assert check_records([DatasetResult(request, "ok", records=big)], None, (), spy) is None
    assert check_records([DatasetResult(request, "ok", records=notable)], None, (), None) is None
    assert sent == []
    check_records([DatasetResult(request, "ok", records=notable)], None, (), spy).result()
    assert sent == ["checked_records"]
    # The gate checks the big records itself, in the stage; the (Epoch) tables still go.
    big_run = [DatasetResult(request, "ok", records=big)]
    checked = validate_tables(replay_tables(), big_run, None, RUN, tmp_path, submit=spy)
    assert sent == ["checked_records", "checked_tables"]
    assert (checked.reports[0].target, checked.reports[0].rows) == ("epoch.notable records", 50_550)


def test_source_records_are_built_while_the_worker_checks_the_other_tables(tmp_path, monkeypatch):
    """No suite reads `source_records`: a run's tables come without it (`build_tables`), the
    tables' check goes to the worker first, and this process builds it meanwhile (#17)."""
    tables = replay_tables()
    expected = tables.pop("source_records")
    done = []

    def spy(fn, *args):
        done.append(fn.__name__)
        return here(fn, *args)

    build = checks.add_source_records
    monkeypatch.setattr(
        checks, "add_source_records", lambda *args: (done.append("source_records"), build(*args))
    )
    checked = validate_tables(tables, replay_results(), None, RUN, tmp_path, submit=spy)
    assert done == ["checked_tables", "source_records"]
    # Added to the run's tables, second as in the schema, and the same rows as built apart.
    assert list(tables) == ["models", "source_records", "summary_by_year"]
    pd.testing.assert_frame_equal(tables["source_records"], expected)
    assert checked.summary["rows"]["source_records"] == {
        "in": 1658,
        "published": 1658,
        "quarantined": 0,
    }
    # Given with the tables (as the tests above give it), it is not built again.
    done.clear()
    given = replay_tables()
    validate_tables(given, epoch_results(), None, RUN, tmp_path, submit=spy)
    assert done == ["checked_tables"]


def test_the_columns_left_out_of_the_tables_check_change_no_report():
    """`UNCHECKED` columns are not sent to the worker: the table suites read none of them
    (their kwargs, row ids and views), so every report is the same without them."""
    from ai_landscape.pipeline.checks import UNCHECKED, checked_tables

    tables = replay_tables()
    tables = {"models": tables["models"]}
    assert UNCHECKED == {"models": ["provenance"]}
    assert tables["models"]["provenance"].notna().all()
    whole = [r.to_dict() for r in checked_tables(tables, None, None)]
    left = {name: f.drop(columns=UNCHECKED[name]) for name, f in tables.items()}
    assert [r.to_dict() for r in checked_tables(left, None, None)] == whole
    assert [(r["suite"], r["rows"]) for r in whole] == [
        ("models", 1355),
        ("models_country_codes", 1550),  # one row per (model, country)
    ]


def test_the_worker_pages_leave_the_pages_of_checks_made_here_as_drawn(tmp_path):
    """Tables checked in this process (too many rows to send, or a worker that died) have
    GX's pages from validation on; writing the worker's pages afterwards keeps them."""
    checked = validate_tables(replay_tables(), epoch_results(), None, RUN, tmp_path, submit=here)
    docs = tmp_path / "_docs" / RUN
    before = {p.name: p.read_text() for p in docs.iterdir()}
    finish_data_docs(tmp_path, RUN, checked, None, here)
    after = {p.name: p.read_text() for p in docs.iterdir()}
    assert after == before
    assert len(after) == 6  # 5 reports and the index
    assert [name for name, page in after.items() if not page.startswith(GX_PAGE)] == ["index.html"]
