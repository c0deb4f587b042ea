"""What a snapshot is made of: each dataset's records and freshness, and who to credit.

Read from the manifest (what each fetch returned and when) and the snapshot's tables (what
became of the records), so a reader can tell a quiet year in the charts from a stale source.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

# Source name -> how its data must be credited (its licence asks for attribution).
ATTRIBUTION = {
    "epoch": "Epoch AI, CC BY 4.0",
    "modelsdev": "models.dev (MIT)",
    "huggingface": "Hugging Face Hub",
    "openrouter": "OpenRouter",
    "feeds": "labs' news feeds",
}
COVERAGE_COLUMNS = [
    "dataset",
    "status",
    "records",
    "models",
    "models_licence_unknown",
    "quarantined",
    "recorded_at",
    "retrieved_at",
    "age_days",
    "url",
]


def attribution(manifest: dict) -> str:
    """Credits for every source that supplied data to this snapshot, in manifest order."""
    names = [
        key.split(".", 1)[0]
        for key, info in manifest.get("sources", {}).items()
        if info.get("records")
    ]
    return "; ".join(ATTRIBUTION.get(n, n) for n in dict.fromkeys(names)) or "no source"


def coverage(
    manifest: dict,
    models: pd.DataFrame,
    source_records: pd.DataFrame,
    quarantined_records: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per dataset the run looked at (skipped ones left out).

    `age_days` is the age of the data (its recorded-at time, or retrieval time for a live
    fetch) when the snapshot was made. `quarantined` counts the dataset's records the run's
    validation set aside (with the models they resolved to).
    """
    held = quarantined_records if quarantined_records is not None else source_records.iloc[:0]
    held_per_dataset = (held["source"] + "." + held["dataset"]).value_counts()
    created = datetime.fromisoformat(manifest["created_at"])
    # The three columns first: filtering the whole table copied every record's JSON text
    # (`record`) only to drop it (0.3-0.5 s CPU per report, issue #17).
    resolved = (
        source_records[["source", "dataset", "model_id"]]
        .dropna(subset=["model_id"])
        .assign(dataset=lambda f: f["source"] + "." + f["dataset"])[["dataset", "model_id"]]
        .drop_duplicates()
    )
    # Which resolved models have no licence, judged once for all datasets: `isin` on an Arrow
    # string column converts its argument value by value, once per call (0.3 s per report
    # when it ran per dataset, issue #17).
    unknown = resolved["model_id"].isin(models.loc[models["license_id"].isna(), "model_id"])
    per_dataset = (
        resolved.assign(unknown=unknown).groupby("dataset")["unknown"].agg(["size", "sum"])
    )
    rows = []
    for key, info in manifest.get("sources", {}).items():
        if info.get("status") == "skipped":
            continue
        counts = per_dataset.loc[key] if key in per_dataset.index else {"size": 0, "sum": 0}
        recorded = info.get("recorded_at") or info.get("retrieved_at")
        rows.append(
            {
                "dataset": key,
                "status": info.get("status"),
                "records": info.get("records"),
                "models": int(counts["size"]),
                "models_licence_unknown": int(counts["sum"]),
                "quarantined": int(held_per_dataset.get(key, 0)),
                "recorded_at": info.get("recorded_at"),
                "retrieved_at": info.get("retrieved_at"),
                "age_days": (created - datetime.fromisoformat(recorded)).days if recorded else None,
                "url": info.get("url"),
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


# Catalogues that list models without saying whether their weights are released.
NO_ACCESS_FIELD = {"openrouter", "modelsdev", "feeds"}


def access_unknown_note(models: pd.DataFrame, years: int = 2) -> str:
    """Why the weights-access chart's last bars are mostly "unknown": the newest models are
    listed by the API catalogues first, which do not state weights access, before Epoch (whose
    curated rows do) adds them. Counted, so the note stays true as the data changes."""
    dated = models[models["release_date"].notna()]
    year = pd.to_datetime(dated["release_date"]).dt.year
    if year.empty:
        return ""
    last = int(year.max())
    recent = dated[year > last - years]
    unknown = recent[recent["weights_access"] == "unknown"]
    names = unknown["sources"].explode()
    api_only = int((~names.isin(NO_ACCESS_FIELD)).groupby(level=0).sum().eq(0).sum())
    epoch = int(names.eq("epoch").groupby(level=0).any().sum())
    return (
        f"Why so much unknown in {last - years + 1}–{last}: {len(unknown)} of the "
        f"{len(recent)} models released then have no weights-access state. {api_only} of them "
        "are known only from OpenRouter or models.dev (feeds date some), which list the models "
        "providers serve without saying whether the weights are released; Epoch AI, whose "
        f"curated rows state access, lists {epoch} of them so far."
    )
