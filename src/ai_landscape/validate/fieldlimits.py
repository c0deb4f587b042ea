"""Length caps on the fields resolution compares, applied before resolution.

Resolution compares names pairwise (rapidfuzz over every name of an organization): a 10 MB
"model name" kept it busy for 19 minutes. No real name, id or licence comes near these caps
(the longest in the recorded data: names 98 characters, repo ids 96, licence texts 131), so
a record over one is held out as a row-level validation failure, like a quarantined row: it
goes to `_quarantine/<run_id>/source_records_overlong.parquet` (source, dataset, row, which
field, its length, a preview, the raw-zone locator of the whole document), the manifest's
`validation.field_limits` counts it, and the rest of its dataset publishes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

# candidate column -> longest value kept, in characters.
TEXT_LIMITS = {"name": 300, "source_key": 300, "model_id": 300, "license_raw": 1000}
# list columns: the longest element kept.
LIST_LIMITS = {"organizations": 300, "hf_repo_ids": 300, "openrouter_ids": 300}
QUARANTINE_FILE = "source_records_overlong.parquet"
PREVIEW = 80


def overlong(candidates: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate over a limit: its index, the field and the value's length."""
    found = []
    for column, limit in {**TEXT_LIMITS, **LIST_LIMITS}.items():
        values = candidates[column]
        if column in LIST_LIMITS:
            values = values.explode()
        lengths = values.astype("string").str.len().fillna(0)
        lengths = lengths.groupby(level=0).max() if column in LIST_LIMITS else lengths
        over = lengths[lengths > limit]
        found.append(pd.DataFrame({"index": over.index, "field": column, "length": over.values}))
    rows = pd.concat(found, ignore_index=True)
    return rows.drop_duplicates("index").astype({"length": "int64"})


def hold_overlong(results: list) -> pd.DataFrame:
    """Remove over-long records from each dataset result (records and candidates alike) and
    return them as quarantine rows. The limits are checked over every result's candidates at
    once: one result at a time, 40 datasets' small pandas calls took 0.23 s of CPU a
    replay, against 0.03 s (docs/performance.md, ninth round)."""
    checked = [r for r in results if r.candidates is not None and not r.candidates.empty]
    if not checked:
        return pd.DataFrame()
    columns = [*TEXT_LIMITS, *LIST_LIMITS]
    stacked = pd.concat([r.candidates[columns] for r in checked], ignore_index=True)
    over = overlong(stacked)
    if over.empty:
        return pd.DataFrame()
    ends = np.cumsum([len(r.candidates) for r in checked])
    owner = np.searchsorted(ends, over["index"].to_numpy(), side="right")
    held = []
    for number in np.unique(owner):
        result = checked[number]
        start = ends[number] - len(result.candidates)
        mine = over[owner == number]
        positions = (mine["index"] - start).to_numpy()
        held.append(_hold(result, mine.assign(index=result.candidates.index[positions])))
    return pd.concat(held, ignore_index=True)


def _hold(result, over: pd.DataFrame) -> pd.DataFrame:
    """Take `over`'s rows (their index in the result's candidates) out of one result; the
    quarantine rows that say why."""
    rows = result.candidates.loc[over["index"]]
    preview = [
        str(rows.at[i, f])[:PREVIEW] for i, f in zip(over["index"], over["field"], strict=True)
    ]
    held = pd.DataFrame(
        {
            "source": rows["source"].to_numpy(),
            "dataset": rows["dataset"].to_numpy(),
            "row": rows["row"].to_numpy(),
            "field": over["field"].to_numpy(),
            "length": over["length"].to_numpy(),
            "preview": preview,
            "raw_locator": result.records.loc[over["index"], "_raw_locator"].to_numpy(),
            "_quarantined_by": [
                f"field_length: {f} over {(TEXT_LIMITS | LIST_LIMITS)[f]} characters"
                for f in over["field"]
            ],
        }
    )
    keep = ~result.candidates.index.isin(over["index"])
    result.candidates = result.candidates[keep]
    result.records = result.records[keep]
    result.info["held_overlong"] = len(over)
    return held


def write_held(work: Path, run_id: str, held: pd.DataFrame) -> dict:
    """Write the held rows to the run's quarantine; what the manifest says of them."""
    if held.empty:
        return {"held": 0}
    folder = Path(work) / "_quarantine" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    held.to_parquet(folder / QUARANTINE_FILE, index=False)
    return {
        "held": len(held),
        "by_dataset": {
            f"{source}.{dataset}": int(n)
            for (source, dataset), n in held.groupby(["source", "dataset"]).size().items()
        },
        "file": f"_quarantine/{run_id}/{QUARANTINE_FILE}",
    }
