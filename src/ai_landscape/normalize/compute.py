"""Training compute estimated from parameters and tokens, and guards against unit errors.

The estimate is the operation count 6·N·D (forward and backward pass: 6 FLOP per parameter
per training token), with N the active parameters of a mixture-of-experts model, since only
those run per token. It is close to what curated sources publish where they used the same
count: Epoch's Llama 3.1-405B (6 × 405B × 15.6T = 3.8e25), DeepSeek-V3 (6 × 37B active ×
14.8T = 3.3e24) and DBRX (6 × 36B active × 12T = 2.6e24).

Guards: a count below 1e6 parameters or 1e10 FLOP for a model of the LLM era, or above any
plausible size, is far more likely a unit slip (`7` meaning 7B) than a fact. Flagged records
keep their values (curated sources list genuinely small robotics and vision models) but name
the problem, so the run report shows it rather than publishing it silently.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ai_landscape.normalize.text import regroup

FLOP_PER_PARAMETER_TOKEN = 6
ESTIMATE_METHOD = "operation_count"
# Both N and D come from the source, but D is often the dataset size rather than the tokens
# seen, and dense-vs-sparse may be unknown: within a factor of ten, Epoch's "likely".
ESTIMATE_CONFIDENCE = "likely"

MIN_PARAMETERS = 1e6
MAX_PARAMETERS = 1e14  # 30x the largest model any source lists (3e12)
MIN_COMPUTE_FLOP = 1e10
MAX_COMPUTE_FLOP = 1e29  # 200x the largest training run any source lists (5e26)
# Lower bounds apply from these release dates on (and to undated records): before them,
# Epoch lists real perceptrons and small vision and control models below both.
SMALL_PARAMETERS_SINCE = date(2020, 1, 1)
SMALL_COMPUTE_SINCE = date(2010, 1, 1)


def estimate_compute(
    parameters: pd.Series, active_parameters: pd.Series, tokens: pd.Series
) -> pd.Series:
    """6·N·D with N = active parameters where known, else total; null without N or D."""
    n = active_parameters.astype("float64").fillna(parameters.astype("float64"))
    return (FLOP_PER_PARAMETER_TOKEN * n * tokens.astype("float64")).rename("estimate")


def fill_estimates(frame: pd.DataFrame) -> pd.DataFrame:
    """Where compute is missing and N and D are known: the estimate, `operation_count`,
    `likely`. Compute a source gives is never replaced."""
    out = frame.copy()
    estimate = estimate_compute(out["parameters"], out["active_parameters"], out["training_tokens"])
    fill = out["training_compute_flop"].isna() & estimate.notna()
    out["training_compute_flop"] = out["training_compute_flop"].where(~fill, estimate)
    out["compute_method"] = out["compute_method"].where(~fill, ESTIMATE_METHOD)
    out["compute_confidence"] = out["compute_confidence"].where(~fill, ESTIMATE_CONFIDENCE)
    return out


_BOUNDS = (
    ("parameters", MIN_PARAMETERS, MAX_PARAMETERS, SMALL_PARAMETERS_SINCE),
    ("active_parameters", MIN_PARAMETERS, MAX_PARAMETERS, SMALL_PARAMETERS_SINCE),
    ("training_compute_flop", MIN_COMPUTE_FLOP, MAX_COMPUTE_FLOP, SMALL_COMPUTE_SINCE),
)


def unit_error_flags(frame: pd.DataFrame) -> pd.Series:
    """One list of problems per row (empty when none), e.g. `parameters 7 < 1e+06`."""
    released = pd.to_datetime(frame["release_date"], errors="coerce")
    found = []
    for column, low, high, since in _BOUNDS:
        values = frame[column].astype("float64")
        recent = released.isna() | (released >= pd.Timestamp(since))
        for hit, bound in (
            ((values < low) & recent, f"< {low:.0e}"),
            (values > high, f"> {high:.0e}"),
        ):
            if hit.any():
                found.append(column + " " + values[hit].map("{:.4g}".format) + " " + bound)
    if not found:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype=object)
    return regroup(pd.concat(found).sort_index(kind="stable"), frame.index)
