"""Candidate rows of every source -> one row per model, each field traced to its record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from ai_landscape.normalize import access
from ai_landscape.schema import TABLES

# Fields taken from the best-ranked candidate that has a value; "unknown" counts as no value
# so that one dataset's blank never hides another's fact.
MERGED_FIELDS = (
    "name",
    "organizations",
    "country_codes",
    "release_date",
    "weights_access",
    "license_id",
    "commercial_use",
    "parameters",
    "active_parameters",
    "training_tokens",
    "training_compute_flop",
    "compute_confidence",
    "compute_method",
    "hf_repo_ids",
    "openrouter_ids",
)
_UNKNOWN_MEANS_MISSING = ("weights_access", "compute_confidence", "commercial_use")
_LIST_FIELDS = ("organizations", "country_codes", "hf_repo_ids", "openrouter_ids")

# Which kind of date is a release date, best first (release_date_field values of the sources).
# An announcement or publication beats a model page's release date, which beats a Hub repo's
# creation (never its 2022-03-02 backfill stamp: normalizers drop that), which beats a date
# known to the month, which beats the day a provider listed the model. Within one kind the
# earliest date wins: a model is released once, when it is first announced.
DATE_KIND_RANK = {
    "Publication date": 0,
    "announcement": 0,
    "release_date": 1,
    "createdAt": 2,
    "release_date (month only)": 3,
    "created (listing date)": 4,
}


def candidate_locators(candidates: pd.DataFrame, raw_locators: pd.Series) -> pd.Series:
    """`source.dataset:<raw object>#row=N`: enough to find the exact record again."""
    return (
        candidates["source"]
        + "."
        + candidates["dataset"]
        + ":"
        + raw_locators
        + "#row="
        + candidates["row"].astype(str)
    )


def merge_candidates(
    candidates: pd.DataFrame,
    *,
    rank: Sequence[str],
    previous: pd.DataFrame | None,
    seen_at: datetime,
) -> pd.DataFrame:
    """Rows must carry `locator`; `rank` orders `source.dataset` keys, best first.

    `previous` is the last published `models` table: it keeps `first_seen` stable.
    """
    frame = candidates[candidates["model_id"].notna()].copy()
    for field in _UNKNOWN_MEANS_MISSING:
        frame[field] = frame[field].mask(frame[field] == "unknown")
    for field in _LIST_FIELDS:
        frame[field] = frame[field].mask(frame[field].str.len() == 0)
    # "epoch.large_scale:Publication date": the dataset and field that gave release_date.
    frame["release_date_source"] = (
        frame["source"] + "." + frame["dataset"] + ":" + frame["release_date_field"].fillna("")
    ).where(frame["release_date"].notna())
    dataset_key = frame["source"] + "." + frame["dataset"]
    frame["_rank"] = dataset_key.map({d: i for i, d in enumerate(rank)}).fillna(len(rank))
    frame = frame.sort_values(["model_id", "_rank", "row"], kind="stable")
    groups = frame.groupby("model_id", sort=True)

    models = groups[[*MERGED_FIELDS, "release_date_source"]].first()
    provenance = pd.DataFrame(
        {f: frame["locator"].where(frame[f].notna()) for f in MERGED_FIELDS},
        index=frame.index,
    )
    provenance["model_id"] = frame["model_id"]
    provenance = provenance.groupby("model_id", sort=True).first()
    best = _best_release_dates(frame)
    for column, source in (("release_date", "release_date"), ("release_date_source", "source")):
        models.loc[best.index, column] = best[source]
    provenance.loc[best.index, "release_date"] = best["locator"]
    listed_large_scale = groups["listed_large_scale"].any()
    sources = groups["source"].agg(lambda s: sorted(set(s)))
    models = models.reset_index()

    for field in _LIST_FIELDS:
        models[field] = models[field].apply(lambda v: v if isinstance(v, list) else [])
    models["weights_access"] = models["weights_access"].fillna("unknown")
    models["compute_confidence"] = models["compute_confidence"].where(
        models["training_compute_flop"].notna(), None
    )
    models["openness"] = access.openness(models["weights_access"])
    # A licence's terms where one was read; else what the access state implies.
    models["commercial_use"] = models["commercial_use"].fillna(
        access.commercial_use(models["weights_access"])
    )
    models["large_scale"] = access.large_scale(
        models["training_compute_flop"], listed_large_scale.to_numpy(), models["compute_method"]
    )
    models["sources"] = sources.to_numpy()
    # One JSON object per row without a Python loop; null marks a field no record supplied.
    lines = provenance.to_json(orient="records", lines=True).splitlines()
    models["provenance"] = pd.Series(lines, index=models.index).str.replace("\\/", "/")
    models["family"] = None
    _stamp_seen(models, previous, seen_at)
    return models[[col.name for col in TABLES["models"]]]


def _best_release_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Per model: the best kind of date (DATE_KIND_RANK), earliest first within a kind."""
    dated = frame[frame["release_date"].notna()]
    kind = dated["release_date_field"].map(DATE_KIND_RANK).fillna(len(DATE_KIND_RANK))
    ordered = dated.assign(_kind=kind).sort_values(
        ["model_id", "_kind", "release_date", "_rank", "row"], kind="stable"
    )
    best = ordered.groupby("model_id", sort=True)[
        ["release_date", "release_date_source", "locator"]
    ].first()
    return best.rename(columns={"release_date_source": "source"})


def _stamp_seen(models: pd.DataFrame, previous: pd.DataFrame | None, seen_at: datetime) -> None:
    now = pd.Timestamp(seen_at)
    first = pd.Series(now, index=models.index, dtype="datetime64[us, UTC]")
    if previous is not None and len(previous):
        known = previous.set_index("model_id")["first_seen"]
        first = models["model_id"].map(known).fillna(now).astype("datetime64[us, UTC]")
    models["first_seen"] = first
    models["last_seen"] = pd.Series(now, index=models.index, dtype="datetime64[us, UTC]")
