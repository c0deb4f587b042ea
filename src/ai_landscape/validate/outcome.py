"""What a validation found, in plain JSON-safe dataclasses (no Great Expectations types).

Each expectation declares in its `meta`:
- `name`: a short id unique in its suite (`compute_in_range`); quarantine files and messages
  name expectations by `<suite>.<name>`, since one GX type can appear twice on one column;
- `severity`: `blocking` (nothing is published), `row` (the offending rows are quarantined and
  the rest is published) or `warn` (reported, never stops anything);
- `why`: the reason, shown with every failure.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SEVERITIES = ("blocking", "row", "warn")
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class FailedExpectation:
    expectation: str  # GX type, e.g. "expect_column_values_to_be_in_set"
    column: str | None
    kwargs: dict  # JSON-safe, suite parameters substituted
    unexpected_count: int | None
    unexpected_sample: list  # up to 5 distinct offending values, JSON-safe
    severity: str = "blocking"
    why: str | None = None
    error: str | None = None  # set when GX raised instead of evaluating (e.g. missing column)
    name: str | None = None  # meta.name
    observed: Any = None  # observed_value of table-level expectations (e.g. a row count)
    unexpected_percent: float | None = None
    sample_rows: list = field(default_factory=list)  # up to 5 offending rows: {id column: ...}
    # Index labels of every offending row in the frame as validated (for a view, the row of
    # the table it came from). Kept out of to_dict(): it can be as long as the table.
    rows: tuple = field(default=(), repr=False, compare=False)

    @property
    def label(self) -> str:
        return self.name or f"{self.expectation}({self.column or ''})"

    def describe(self) -> str:
        target = f"{self.expectation}({self.column or ''})"
        if self.error is not None:
            detail = f"error: {self.error}"
        elif self.unexpected_count is None and self.observed is not None:
            detail = f"observed {self.observed!r}{_bounds(self.kwargs)}"
        else:
            detail = f"{self.unexpected_count} unexpected, e.g. {self.unexpected_sample!r}"
            if self.sample_rows:
                detail += f" in rows {self.sample_rows!r}"
        suffix = "" if self.severity == "blocking" else f" [severity: {self.severity}]"
        return f"FAILED {target}: {detail}{suffix}"

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "expectation": self.expectation,
            "column": self.column,
            "severity": self.severity,
            "why": self.why,
            "kwargs": self.kwargs,
            "unexpected_count": self.unexpected_count,
            "unexpected_percent": self.unexpected_percent,
            "unexpected_sample": self.unexpected_sample,
            "sample_rows": self.sample_rows,
            "observed": self.observed,
            "error": self.error,
        }


@dataclass(frozen=True)
class ValidationReport:
    suite: str
    success: bool  # every expectation met, warnings aside (a failed warning is in `failed`)
    evaluated: int
    failed: tuple[FailedExpectation, ...]
    parameters: dict = field(default_factory=dict)  # suite parameter values used (JSON-safe)
    target: str = ""  # what was validated: "models", "epoch.large_scale records"
    rows: int = 0  # rows of the frame validated
    # Expectations with a `mostly` threshold: name -> {mostly, unexpected_percent, success},
    # reported whether or not they pass, so a share drifting towards its threshold shows.
    mostly: dict = field(default_factory=dict)
    # The GX ExpectationSuiteValidationResult, for Data Docs; never serialized.
    gx_result: Any = field(default=None, repr=False, compare=False)
    # Its Data Docs page, when rendered where it was validated: a report sent from the run's
    # worker process carries the page, not the GX result (unpickling that imports GX).
    page: str | None = field(default=None, repr=False, compare=False)

    def by_severity(self, severity: str) -> list[FailedExpectation]:
        return [f for f in self.failed if f.severity == severity]

    @property
    def blocking(self) -> list[FailedExpectation]:
        return self.by_severity("blocking")

    def to_dict(self) -> dict:
        """JSON-safe summary for the manifest."""
        return {
            "suite": self.suite,
            "target": self.target,
            "rows": self.rows,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed_count": len(self.failed),
            "parameters": self.parameters,
            "mostly": self.mostly,
            "failed": [f.to_dict() for f in self.failed],
        }

    def describe(self) -> str:
        passed = self.evaluated - len(self.failed)
        warned = len(self.by_severity("warn"))
        status = "FAILED" if not self.success else "passed with warnings" if warned else "passed"
        on = f" on {self.target}" if self.target and self.target != self.suite else ""
        head = f"suite {self.suite}{on}: {status} ({passed}/{self.evaluated} expectations met)"
        return "\n".join([head, *(f.describe() for f in self.failed)])


def _bounds(kwargs: dict) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is None and high is None:
        return ""
    return f", expected {'' if low is None else low}..{'' if high is None else high}"


def json_safe(value: Any) -> Any:
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
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, np.ndarray | pd.Series):
        value = value.tolist()
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    return str(value)
