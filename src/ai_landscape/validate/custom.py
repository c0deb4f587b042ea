"""Custom Great Expectations for checks no built-in expresses, or expresses per row in Python.

GX 1.x registers an expectation class (and its metric) when the class is defined, under the
snake_case of its name: importing this module is what lets a suite JSON name
`expect_column_pair_values_to_follow_mapping`. gx_runner imports it before building a suite.

Why not the built-ins:
- `expect_column_pair_values_to_be_in_set` computes its pandas metric with `iterrows()`, a
  Python step per row (about a minute for 1M rows); the mapping check below is vectorized.
- `UnexpectedRowsExpectation` only runs SQL: on pandas GX reports "No provider found for
  unexpected_rows_query.table using PandasExecutionEngine".
- A parameter count against the size written in a model's name, and the Hub's creation-date
  sentinel in one source only, need two columns and a rule.

Each is a map expectation, so GX returns the offending rows' index (`unexpected_index_list`)
that the gate needs to quarantine them. great_expectations is imported here at module level:
import this module lazily (gx_runner does).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnPairMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)

# A size written in a name: "Gopher (280B)", "Llama 3.1-405B", "GPT-2 (355M)". T is left out:
# "Ling-mini-base-2.0-20T" names its 20T training tokens, not its parameters. RE2 syntax (no
# lookbehind): pyarrow's `extract_regex` runs it over the whole column in C++.
SIZE_IN_NAME = r"(?:^|[^\w.])(?P<number>\d+(?:\.\d+)?)\s?(?P<unit>[BbMm])(?:$|[^\w])"


def stated_size(names: pd.Series) -> np.ndarray:
    """The size a name states, as a parameter count (NaN where it states none)."""
    found = pc.extract_regex(pa.array(names.astype(object), type=pa.string()), SIZE_IN_NAME)
    number = pc.cast(pc.struct_field(found, "number"), pa.float64())
    unit = pc.if_else(pc.equal(pc.utf8_upper(pc.struct_field(found, "unit")), "B"), 1e9, 1e6)
    return pc.multiply(number, unit).to_numpy(zero_copy_only=False)


class ColumnPairValuesFollowMapping(ColumnPairMapMetricProvider):
    """Where column_A's value is a key of `mapping`, column_B must equal the mapped value."""

    condition_metric_name = "column_pair_values.follow_mapping"
    condition_value_keys = ("mapping",)

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, mapping, **kwargs):
        required = column_A.map(mapping)  # NaN where A is not a key: nothing required
        return pd.Series(
            required.isna().to_numpy() | (column_B.to_numpy(dtype=object) == required.to_numpy()),
            index=column_A.index,
        )


class ExpectColumnPairValuesToFollowMapping(ColumnPairMapExpectation):
    """column_B is determined by column_A where `mapping` names column_A's value, e.g.
    commercial_use by weights_access for the three open-weights states."""

    mapping: dict[str, str]
    ignore_row_if: str = "neither"

    map_metric = "column_pair_values.follow_mapping"
    success_keys: ClassVar[tuple[str, ...]] = ("mapping", "ignore_row_if", "mostly")


class ParametersMatchSizeInName(ColumnPairMapMetricProvider):
    """column_A a name, column_B a parameter count: where the name states a size in B or M,
    the count is within [min_ratio, max_ratio] times that size (a unit slip is off by 1e6+)."""

    condition_metric_name = "column_pair_values.parameters_match_size_in_name"
    condition_value_keys = ("min_ratio", "max_ratio")

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, min_ratio, max_ratio, **kwargs):
        counts = pd.to_numeric(column_B, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = counts / stated_size(column_A)
            # No stated size or no count: nothing to compare, so the row passes.
            ok = np.isnan(ratio) | ((ratio >= min_ratio) & (ratio <= max_ratio))
        return pd.Series(ok, index=column_A.index)


class ExpectParametersToMatchSizeInName(ColumnPairMapExpectation):
    """A parameter count of 280 for "Gopher (280B)" is a unit slip the range check misses."""

    min_ratio: float = 1e-3
    max_ratio: float = 1e3
    ignore_row_if: str = "either_value_is_missing"

    map_metric = "column_pair_values.parameters_match_size_in_name"
    success_keys: ClassVar[tuple[str, ...]] = ("min_ratio", "max_ratio", "ignore_row_if", "mostly")


class DateIsNotSourceSentinel(ColumnPairMapMetricProvider):
    """column_A a date, column_B the field it came from: the date is not `sentinel` when the
    field matches `source_pattern` (regex)."""

    condition_metric_name = "column_pair_values.date_is_not_source_sentinel"
    condition_value_keys = ("sentinel", "source_pattern")

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, sentinel, source_pattern, **kwargs):
        day = dt.date.fromisoformat(str(sentinel))
        if pd.api.types.is_datetime64_any_dtype(column_A.dtype):
            is_day = (column_A.dt.date == day).to_numpy()
        else:  # date objects (gx_runner's form for date-bounded columns); None never equals
            is_day = column_A.to_numpy(dtype=object) == day
        # `.str` on a categorical matches each distinct value once.
        from_source = column_B.str.contains(source_pattern, regex=True, na=False)
        return pd.Series(~(is_day & from_source.to_numpy(dtype=bool)), index=column_A.index)


class ExpectReleaseDateToNotBeHubSentinel(ColumnPairMapExpectation):
    """The Hub gives every repository created before it recorded creation dates the same
    `createdAt`, 2022-03-02: as a release date it says nothing about the model."""

    sentinel: str = "2022-03-02"
    source_pattern: str = r"^huggingface\.[^:]*:createdAt"
    ignore_row_if: str = "either_value_is_missing"

    map_metric = "column_pair_values.date_is_not_source_sentinel"
    success_keys: ClassVar[tuple[str, ...]] = (
        "sentinel",
        "source_pattern",
        "ignore_row_if",
        "mostly",
    )
