"""What GX is handed (gx_runner._prepare_frame): the columns an expectation reads, converted;
the columns only a table-columns expectation names, as they are (issue #17)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ai_landscape.validate import gx_runner
from ai_landscape.validate.gx_runner import load_suite, validate_frame
from tests.replay_values import replay_frames


def _feeds() -> dict[str, pd.DataFrame]:
    return {dataset: records for dataset, (records, _) in replay_frames("feeds").items()}


def _said(report) -> dict:
    """A report as the manifest and the gate read it (GX's own result aside: it carries
    the run's time)."""
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    fields.pop("gx_result")
    fields["failed"] = [(f, f.rows) for f in report.failed]
    return fields


def test_a_feed_frame_reaches_gx_with_only_its_guid_converted():
    records = next(iter(_feeds().values()))
    suite = load_suite("records_feeds")
    data = gx_runner._prepare_frame(records, suite, {})
    assert list(data.columns) == list(records.columns)  # required_columns sees them all
    assert data["guid"].dtype == object  # read by three expectations: converted
    unread = [c for c in records.columns if c != "guid"]
    assert {c: data[c].dtype for c in unread} == {c: records[c].dtype for c in unread}
    assert any(isinstance(records[c].dtype, pd.StringDtype) for c in unread)


def test_a_suite_with_a_row_condition_still_has_every_column_converted():
    suite = {
        "expectations": [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "a", "row_condition": 'b=="x"', "condition_parser": "pandas"},
            },
            {
                "type": "expect_table_columns_to_match_set",
                "kwargs": {"column_set": ["a"], "exact_match": False},
            },
        ]
    }
    frame = pd.DataFrame({"a": ["1", None], "b": ["x", "y"], "c": ["p", "q"]}, dtype="str")
    data = gx_runner._prepare_frame(frame, suite, {})
    assert {c: data[c].dtype for c in data.columns} == {"a": object, "b": object, "c": object}


def test_every_replay_feed_validates_as_with_every_column_converted(monkeypatch):
    feeds = _feeds()
    assert len(feeds) == 31
    # A failure among the real rows: a guid repeated past the 90% share, an empty guid.
    dataset = max(feeds, key=lambda d: len(feeds[d]))
    broken = feeds[dataset].copy()
    broken.loc[broken.index[: len(broken) // 5], "guid"] = broken["guid"].iloc[-1]
    broken.loc[broken.index[-2], "guid"] = ""
    feeds[dataset] = broken
    params = {"min_rows": 5}
    fast = {
        d: _said(validate_frame(f, "records_feeds", parameters=params)) for d, f in feeds.items()
    }
    monkeypatch.setattr(gx_runner, "_columns_prepared", lambda suite, columns: list(columns))
    every = {
        d: _said(validate_frame(f, "records_feeds", parameters=params)) for d, f in feeds.items()
    }
    assert fast == every
    assert {f.name for f, _ in fast[dataset]["failed"]} == {"key_not_empty", "key_nearly_unique"}
    failed = sorted(d for d, report in fast.items() if not report["success"])
    short = [d for d, f in feeds.items() if len(f) < params["min_rows"]]  # row-count band
    assert failed == sorted({dataset, *short})
