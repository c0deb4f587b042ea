"""Run a Great Expectations suite (`expectations/<name>.json`) against a pandas frame.

The JSON is loaded into an *ephemeral* GX context (a file context would rewrite it), run with
`Batch.validate(..., expectation_parameters=)` and condensed into a `ValidationReport`.

Suite parameters (GX 1.x): a kwarg `{"$PARAMETER": "today"}` is replaced at validation time by
`expectation_parameters["today"]`, then GX's pydantic models re-parse the kwargs, so an ISO
string "2025-06-01" becomes a `datetime.date`. A parameter the suite uses but nobody supplies
raises `SuiteParameterError` (a suite bug, not a data problem). great_expectations is imported
lazily: it takes seconds, and importing the dataclasses here should not.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import os
import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ai_landscape import config

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is ever imported

SAMPLE_SIZE = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
_DATASOURCE = "ai_landscape_frames"
_LOCK = threading.RLock()  # one GX context per process; GX is not documented as thread-safe
_BATCH_DEFINITIONS: dict[str, Any] = {}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FailedExpectation:
    expectation: str  # e.g. "expect_column_values_to_be_in_set"
    column: str | None
    kwargs: dict  # JSON-safe, with suite parameters substituted
    unexpected_count: int | None
    unexpected_sample: list  # up to 5 distinct offending values, JSON-safe
    severity: str = "blocking"  # from the expectation's meta
    why: str | None = None  # from the expectation's meta
    error: str | None = None  # set when GX raised instead of evaluating (e.g. missing column)

    def describe(self) -> str:
        target = f"{self.expectation}({self.column or ''})"
        if self.error is not None:
            detail = f"error: {self.error}"
        else:
            detail = f"{self.unexpected_count} unexpected, e.g. {self.unexpected_sample!r}"
        suffix = "" if self.severity == "blocking" else f" [severity: {self.severity}]"
        return f"FAILED {target}: {detail}{suffix}"


@dataclass(frozen=True)
class ValidationReport:
    suite: str
    success: bool
    evaluated: int
    failed: tuple[FailedExpectation, ...]
    parameters: dict = field(default_factory=dict)  # suite parameter values used (JSON-safe)

    def to_dict(self) -> dict:
        """JSON-safe summary for the manifest."""
        return {
            "suite": self.suite,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed_count": len(self.failed),
            "parameters": self.parameters,
            "failed": [asdict(f) for f in self.failed],
        }

    def describe(self) -> str:
        status = "passed" if self.success else "FAILED"
        passed = self.evaluated - len(self.failed)
        head = f"suite {self.suite}: {status} ({passed}/{self.evaluated} expectations met)"
        return "\n".join([head, *(f.describe() for f in self.failed)])


def load_suite(name: str, directory: Path | None = None) -> dict:
    """The suite JSON `<directory or expectations/>/<name>.json` as a dict."""
    path = Path(directory or config.EXPECTATIONS_DIR) / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate_frame(
    frame: pd.DataFrame,
    suite_name: str,
    *,
    parameters: dict | None = None,
    directory: Path | None = None,
) -> ValidationReport:
    """Validate `frame` (left unmodified) against a suite; never raises for a data problem.

    `parameters` are suite parameters; `today` (ISO date string or `datetime.date`) defaults to
    the UTC date. An expectation on a missing column, or one GX cannot evaluate, is reported
    as failed with `error` set.
    """
    suite_json = load_suite(suite_name, directory)
    params: dict = {"today": dt.datetime.now(dt.UTC).date().isoformat()}
    params.update(parameters or {})
    data = _prepare_frame(frame, _date_bound_columns(suite_json, params))
    with _LOCK:
        import great_expectations as gx

        suite = gx.ExpectationSuite(**copy.deepcopy(suite_json))
        batch = _batch_definition(suite_name).get_batch(batch_parameters={"dataframe": data})
        result = batch.validate(
            suite, result_format=dict(RESULT_FORMAT), expectation_parameters=params
        )
    # GX groups results by column and puts errored ones first; report them in suite order.
    order = {
        (e["type"], e["kwargs"].get("column")): i for i, e in enumerate(suite_json["expectations"])
    }
    failed = tuple(
        sorted(
            (_failed(r) for r in result.results if not r.success),
            key=lambda f: order.get((f.expectation, f.column), len(order)),
        )
    )
    return ValidationReport(
        suite=suite_name,
        success=bool(result.success),
        evaluated=int(result.statistics["evaluated_expectations"]),
        failed=failed,
        parameters=_json_safe(params),
    )


# --- GX plumbing -----------------------------------------------------------------------------


@functools.cache
def _context():
    """One ephemeral context per process, without progress bars on stderr."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas(_DATASOURCE)
    return context


def _batch_definition(suite_name: str):
    """A whole-dataframe batch definition per suite, created once: the frame is a batch
    parameter of each run, so re-validating never re-adds (duplicates) an asset name."""
    if suite_name not in _BATCH_DEFINITIONS:
        datasource = _context().data_sources.get(_DATASOURCE)
        asset = datasource.add_dataframe_asset(f"{suite_name}__frame")
        _BATCH_DEFINITIONS[suite_name] = asset.add_batch_definition_whole_dataframe("whole")
    return _BATCH_DEFINITIONS[suite_name]


def _failed(result) -> FailedExpectation:
    cfg = result.expectation_config
    meta = cfg.meta or {}
    details = result.result or {}
    count = details.get("unexpected_count")
    distinct = {json.dumps(v): v for v in _json_safe(details.get("partial_unexpected_list", []))}
    kwargs = {k: v for k, v in cfg.kwargs.items() if k != "batch_id"}
    return FailedExpectation(
        expectation=cfg.type,
        column=kwargs.get("column"),
        kwargs=_json_safe(kwargs),
        unexpected_count=None if count is None else int(count),
        unexpected_sample=list(distinct.values())[:SAMPLE_SIZE],
        severity=str(meta.get("severity", "blocking")),
        why=meta.get("why"),
        error=_exception_message(result.exception_info),
    )


def _exception_message(info) -> str | None:
    """GX gives one {raised_exception, exception_message} dict, or one per failed metric."""
    entries = [info] if "raised_exception" in (info or {}) else list((info or {}).values())
    errors = [e.get("exception_message") for e in entries if e and e.get("raised_exception")]
    return str(errors[0] or "exception while evaluating") if errors else None


# --- data preparation --------------------------------------------------------------------------


def _date_bound_columns(suite_json: dict, params: dict) -> set[str]:
    """Columns of expectations whose min/max bound is a date (literal or via a parameter)."""
    columns = set()
    for exp in suite_json.get("expectations", []):
        kwargs = exp.get("kwargs", {})
        for key in ("min_value", "max_value"):
            bound = kwargs.get(key)
            if isinstance(bound, dict) and "$PARAMETER" in bound:
                bound = params.get(bound["$PARAMETER"])
            if isinstance(bound, str) and _ISO_DATE.fullmatch(bound):
                bound = dt.date.fromisoformat(bound)
            if type(bound) is dt.date and isinstance(kwargs.get("column"), str):
                columns.add(kwargs["column"])
    return columns


def _as_date(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):  # includes pd.Timestamp
        return value.date()
    return value  # dates stay; anything else (e.g. a string) stays and fails visibly


def _prepare_frame(frame: pd.DataFrame, date_columns: set[str]) -> pd.DataFrame:
    """The frame GX sees: a new frame (the caller's is untouched) with two adjustments.

    1. Date-bounded columns become `datetime.date` objects (object dtype, None for missing).
       GX's pydantic models parse date bounds ("1950-01-01", the `today` parameter) into
       `datetime.date`, and the pandas `column_values.between` metric compares column values
       with them. `date` values compare correctly; datetime64 values do not: datetime64[ns]
       raises "Invalid comparison between dtype=datetime64[ns] and date", and the [s]/[us]
       units pandas 3 infers go through a per-value path where `Timestamp >= date` raises
       TypeError, so the expectation would error instead of checking the data. datetime64
       (naive or tz-aware: the stored date), Arrow date/timestamp and Timestamps are converted.
    2. numpy-array cells of list columns (what pyarrow's `to_pandas()` yields) become lists.
       GX fingerprints every batch with `pd.util.hash_pandas_object`; list cells are
       unhashable, so it falls back to pickling the frame, which is fast for lists but takes
       seconds for 100k rows of object arrays (twice per validation). Lists are accepted as is.
    """
    data = frame.copy(deep=False)  # copy-on-write: assigning columns leaves `frame` untouched
    for col in frame.columns:
        series = frame[col]
        if col in date_columns and pd.api.types.is_datetime64_any_dtype(series.dtype):
            data[col] = series.dt.date.astype(object).where(series.notna(), None)
        elif col in date_columns:
            data[col] = series.astype(object).map(_as_date)
        elif series.dtype == object and any(isinstance(v, np.ndarray) for v in series):
            values = [v.tolist() if isinstance(v, np.ndarray) else v for v in series]
            data[col] = pd.Series(values, index=series.index, dtype=object)
    return data


def _json_safe(value: Any) -> Any:
    """Dates as ISO strings, numpy scalars as Python, NaN/NA as None, inf as a string."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date):  # includes datetime and pd.Timestamp
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, np.ndarray | pd.Series):
        value = value.tolist()
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    return str(value)
