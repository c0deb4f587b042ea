"""Run a Great Expectations suite (`expectations/<name>.json`) against a pandas frame.

The JSON is loaded into an *ephemeral* GX context (a file context would rewrite it), run with
`Batch.validate(..., expectation_parameters=)` and condensed into a `ValidationReport`.

- Suite parameters (GX 1.x): a kwarg `{"$PARAMETER": "today"}` is replaced at validation time
  by `expectation_parameters["today"]`, then GX's pydantic models re-parse the kwargs, so an
  ISO string "2025-06-01" becomes a `datetime.date`. `meta.parameter_defaults` in the suite
  fills what the caller leaves out; a parameter nobody supplies raises `SuiteParameterError`
  (a suite bug, not a data problem).
- `meta.view` names a function of `views.py` that turns the frame into what the suite checks.
- `meta.row_id` lists the columns that identify a row in failure samples (`model_id`).
- Row-level expectations (`meta.severity: row`) run with GX's COMPLETE result format, whose
  `unexpected_index_list` holds the index label of every offending row (verified on GX 1.24
  for pandas, row conditions included); the others run with SUMMARY (first 20 labels), so a
  warning failing on a third of a million rows does not build a 300k-entry list.

great_expectations is imported lazily: it takes seconds, and importing the dataclasses should not.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ai_landscape import settings
from ai_landscape.validate import gx_speedups
from ai_landscape.validate.outcome import (
    SAMPLE_SIZE,
    FailedExpectation,
    ValidationReport,
    json_safe,
)
from ai_landscape.validate.views import VIEWS

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is ever imported

__all__ = ["FailedExpectation", "ValidationReport", "load_suite", "validate_frame"]

ROW_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
SUMMARY_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": 20,
    "return_unexpected_index_query": False,
}
_DATASOURCE = "ai_landscape_frames"
_LOCK = threading.RLock()  # one GX context per process; GX is not documented as thread-safe
_BATCH_DEFINITIONS: dict[str, Any] = {}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLUMN_KWARGS = ("column", "column_A", "column_B")


def load_suite(name: str, directory: Path | None = None) -> dict:
    """The suite JSON `<directory or expectations/>/<name>.json` as a dict."""
    path = Path(directory or settings.EXPECTATIONS_DIR) / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate_frame(
    frame: pd.DataFrame,
    suite_name: str,
    *,
    parameters: dict | None = None,
    directory: Path | None = None,
    target: str | None = None,
) -> ValidationReport:
    """Validate `frame` (left unmodified) against a suite; never raises for a data problem.

    `parameters` are suite parameters; `today` (ISO date string or `datetime.date`) defaults to
    the UTC date. An expectation on a missing column, or one GX cannot evaluate, is reported
    as failed with `error` set. `target` names what was validated in messages.
    """
    suite_json = load_suite(suite_name, directory)
    meta = suite_json.get("meta", {})
    params: dict = {"today": dt.datetime.now(dt.UTC).date().isoformat()}
    params.update(meta.get("parameter_defaults", {}))
    params.update(parameters or {})
    view = VIEWS[meta["view"]](frame) if meta.get("view") else frame
    data = _prepare_frame(view, suite_json, params)
    by_format: dict[str, list] = {"row": [], "other": []}
    for expectation in suite_json["expectations"]:
        row_level = expectation.get("meta", {}).get("severity") == "row"
        by_format["row" if row_level else "other"].append(expectation)
    results, gx_result = [], None
    with _LOCK:
        prepare()
        gx = gx_speedups.import_gx()
        from great_expectations.validator.v1_validator import Validator

        # What `Batch.validate` does, but one Validator for both result formats: each
        # `Batch.validate` builds a new Validator, which loads the batch again.
        validator = Validator(
            batch_definition=_batch_definition(suite_name),
            batch_parameters={"dataframe": data},
        )
        for key, result_format in (("row", ROW_FORMAT), ("other", SUMMARY_FORMAT)):
            if not by_format[key]:
                continue
            part = {**copy.deepcopy(suite_json), "expectations": copy.deepcopy(by_format[key])}
            part.pop("notes", None)
            validator.result_format = dict(result_format)
            outcome = validator.validate_expectation_suite(gx.ExpectationSuite(**part), params)
            results.extend(outcome.results)
            gx_result = outcome
    order = {e.get("meta", {}).get("name"): i for i, e in enumerate(suite_json["expectations"])}
    row_id = [c for c in meta.get("row_id", []) if c in view.columns]
    failed = sorted(
        (_failed(r, view, row_id) for r in results if not r.success),
        key=lambda f: order.get(f.name, len(order)),
    )
    return ValidationReport(
        suite=suite_name,
        success=all(r.success for r in results if _severity(r) != "warn"),
        evaluated=len(results),
        failed=tuple(failed),
        parameters=json_safe(params),
        target=target or meta.get("table", suite_name),
        rows=len(view),
        mostly=_mostly(results),
        gx_result=_merged(gx_result, results),
    )


def prepare() -> None:
    """What the first validation in a process would pay before its own work: GX imported (over
    a second in a new process), its context built, the custom expectations registered. A run's
    worker does it first, before the run needs it (pipeline/early.py)."""
    with _LOCK:
        _context()
        from ai_landscape.validate import custom  # noqa: F401  registers custom expectations


# --- GX plumbing -----------------------------------------------------------------------------


@functools.cache
def _context():
    """One ephemeral context per process, without progress bars on stderr."""
    gx = gx_speedups.import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every pandas batch below HASH_THRESHOLD bytes by hashing the whole frame
    # (2.4 s at 1M rows) only to label the batch in stored results; nothing is stored here.
    # If GX renames the constant this only loses the speed-up.
    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0
    gx_speedups.install()  # one configuration build per kwargs lookup, not one per key
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


def _merged(last, results: list):
    """One GX validation result holding every expectation's result (for Data Docs)."""
    if last is None:
        return None
    last.results = list(results)
    last.success = all(r.success for r in results)
    last.statistics["evaluated_expectations"] = len(results)
    last.statistics["successful_expectations"] = sum(bool(r.success) for r in results)
    last.statistics["unsuccessful_expectations"] = sum(not r.success for r in results)
    last.statistics["success_percent"] = (
        100.0 * last.statistics["successful_expectations"] / len(results) if results else None
    )
    return last


def _failed(result, view: pd.DataFrame, row_id: list[str]) -> FailedExpectation:
    cfg = result.expectation_config
    meta = cfg.meta or {}
    details = result.result or {}
    count = details.get("unexpected_count")
    distinct = {json.dumps(v): v for v in json_safe(details.get("partial_unexpected_list", []))}
    kwargs = {k: v for k, v in cfg.kwargs.items() if k != "batch_id"}
    rows = details.get("unexpected_index_list") or details.get("partial_unexpected_index_list")
    rows = tuple(rows or ())
    percent = details.get("unexpected_percent")
    return FailedExpectation(
        expectation=cfg.type,
        column=kwargs.get("column", kwargs.get("column_B")),
        kwargs=json_safe(kwargs),
        unexpected_count=None if count is None else int(count),
        unexpected_sample=list(distinct.values())[:SAMPLE_SIZE],
        severity=_severity(result),
        why=meta.get("why"),
        error=_exception_message(result.exception_info),
        name=meta.get("name"),
        observed=json_safe(details.get("observed_value")),
        unexpected_percent=None if percent is None else round(float(percent), 4),
        sample_rows=_sample_rows(view, rows, row_id, kwargs),
        rows=rows,
    )


def _sample_rows(view: pd.DataFrame, rows: tuple, row_id: list[str], kwargs: dict) -> list:
    """The first offending rows: their id columns and the checked columns' values."""
    if not rows:
        return []
    checked = [kwargs[k] for k in _COLUMN_KWARGS if isinstance(kwargs.get(k), str)]
    if view.index.has_duplicates:
        # An exploded view: a label names the table row, not which element offended.
        checked = []
    columns = list(dict.fromkeys(c for c in [*row_id, *checked] if c in view.columns))
    if not columns:
        return []
    labels = list(dict.fromkeys(rows))[:SAMPLE_SIZE]
    sample = view.loc[~view.index.duplicated(), columns].loc[labels]
    return json_safe(sample.to_dict("records"))


def _mostly(results: list) -> dict:
    out = {}
    for r in results:
        mostly = r.expectation_config.kwargs.get("mostly")
        if mostly is None or mostly == 1:
            continue
        meta = r.expectation_config.meta or {}
        key = meta.get("name") or r.expectation_config.type
        percent = (r.result or {}).get("unexpected_percent")
        out[key] = {
            "mostly": mostly,
            "unexpected_percent": None if percent is None else round(float(percent), 4),
            "success": bool(r.success),
        }
    return out


def _severity(result) -> str:
    return str((result.expectation_config.meta or {}).get("severity", "blocking"))


def _exception_message(info) -> str | None:
    """GX gives one {raised_exception, exception_message} dict, or one per failed metric."""
    entries = [info] if "raised_exception" in (info or {}) else list((info or {}).values())
    errors = [e.get("exception_message") for e in entries if e and e.get("raised_exception")]
    return str(errors[0] or "exception while evaluating") if errors else None


# --- data preparation --------------------------------------------------------------------------


def _columns_needed(suite_json: dict, columns: pd.Index) -> list[str]:
    """The frame's columns the suite reads: expectation columns and those a row_condition
    names. A table-columns expectation needs them all. Passing only these to GX keeps its
    batch fingerprint (a hash of the whole frame) cheap and free of unhashable list cells."""
    expectations = suite_json.get("expectations", [])
    if any(e["type"].startswith("expect_table_columns") for e in expectations):
        return list(columns)
    return _columns_read(suite_json, columns)


def _columns_read(suite_json: dict, columns: pd.Index) -> list[str]:
    """The frame's columns whose values some expectation reads (a table-columns expectation
    reads only the names)."""
    named: set[str] = set()
    for exp in suite_json.get("expectations", []):
        kwargs = exp.get("kwargs", {})
        named.update(kwargs[k] for k in _COLUMN_KWARGS if isinstance(kwargs.get(k), str))
        named.update(kwargs.get("column_list") or [])
        condition = kwargs.get("row_condition")
        if isinstance(condition, str):
            words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", condition))
            named.update(words & set(map(str, columns)))
    return [c for c in columns if c in named]


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
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, dt.datetime):  # includes pd.Timestamp
        return value.date()
    return value  # dates stay; anything else (e.g. a string) stays and fails visibly


def _prepare_frame(frame: pd.DataFrame, suite_json: dict, params: dict) -> pd.DataFrame:
    """The frame GX sees: the needed columns only, in a new frame (the caller's is untouched).

    1. Date-bounded columns become `datetime.date` objects (object dtype, None for missing).
       GX's pydantic models parse date bounds ("1950-01-01", the `today` parameter) into
       `datetime.date`, and the pandas `column_values.between` metric compares column values
       with them. `date` values compare correctly; datetime64 values do not: datetime64[ns]
       raises "Invalid comparison between dtype=datetime64[ns] and date", and the [s]/[us]
       units pandas 3 infers go through a per-value path where `Timestamp >= date` raises
       TypeError. A column already holding only dates is left as it is (no per-row pass).
    2. Text columns become categoricals or numpy object arrays (`_for_filtering`).
    3. numpy-array cells of list columns (what pyarrow's `to_pandas()` yields) become lists,
       which GX's unexpected-value counting can hash.
    """
    date_columns = _date_bound_columns(suite_json, params)
    data = frame[_columns_needed(suite_json, frame.columns)].copy(deep=False)
    for col in _columns_prepared(suite_json, data.columns):
        series = data[col]
        if col in date_columns and pd.api.types.is_datetime64_any_dtype(series.dtype):
            data[col] = series.dt.date.astype(object).where(series.notna(), None)
        elif col in date_columns:
            if pd.api.types.infer_dtype(series, skipna=True) not in ("date", "empty"):
                data[col] = series.astype(object).map(_as_date)
        elif _is_text(series):
            data[col] = _for_filtering(series)
        elif series.dtype == object and _holds_arrays(series):
            values = [v.tolist() if isinstance(v, np.ndarray) else v for v in series]
            data[col] = pd.Series(values, index=series.index, dtype=object)
    return data


def _columns_prepared(suite_json: dict, columns: pd.Index) -> list[str]:
    """The columns `_prepare_frame` converts: those whose values an expectation reads. The
    others (kept for a table-columns expectation, which reads only their names) are passed as
    they are: converting every column of each of a run's 31 small feed frames for a suite that
    reads one was a sixth of the gate (issue #17). A row condition filters every column of
    the frame, so with one anywhere in the suite every column is converted, as before."""
    expectations = suite_json.get("expectations", [])
    if any(e.get("kwargs", {}).get("row_condition") for e in expectations):
        return list(columns)
    return _columns_read(suite_json, columns)


def _is_text(series: pd.Series) -> bool:
    """Text, judged on up to 1,000 non-null values spread over the whole column. The first
    1,000 rows are not enough: a sparse list column (models.dev's `links`) can be null there
    and hold lists further down, and calling it text made `_for_filtering` hash the lists."""
    if isinstance(series.dtype, pd.StringDtype):
        return True
    if series.dtype != object:
        return False
    present = series[series.notna()]
    sample = present.iloc[:: max(1, len(present) // 1000)]
    return pd.api.types.infer_dtype(sample, skipna=True) in ("string", "empty")


def _for_filtering(series: pd.Series) -> pd.Series:
    """Text in the form GX filters fastest. Each row condition makes GX filter the whole frame,
    once per metric: ~40 filters of every column per models validation. An Arrow string
    column (pandas 3's default) is filtered by an Arrow `take` that cost seconds at 1M rows.
    Enum-like columns (few distinct values in a sample) become categoricals, filtered as int8
    codes; the others become numpy object arrays."""
    if len(series) < 10_000:
        return series.astype(object)
    sample = series.iloc[:: max(1, len(series) // 10_000)]
    if sample.nunique(dropna=True) <= 0.01 * len(sample):
        return series.astype("category")
    return series.astype(object)


def _holds_arrays(series: pd.Series) -> bool:
    """A list column as pyarrow's `to_pandas()` gives it: numpy arrays in the cells."""
    head = series.dropna().iloc[:100]
    return any(isinstance(v, np.ndarray) for v in head)
