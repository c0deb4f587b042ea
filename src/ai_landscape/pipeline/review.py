"""An operator's reviewed exceptions to the validation gate, for one run only.

`--accept-count-change DATASET[,DATASET]`: the named datasets' record counts may leave the
row-count band this run (a year between two exports of Epoch's list is a real jump; a
pagination loop is not, hence the band). The manifest's `review` records each accepted
dataset with its previous and new counts, so a later reader sees the jump was let through
on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ai_landscape.pipeline.selection import UsageError, all_dataset_keys


def parse_datasets(text: str | Sequence[str] | None) -> list[str]:
    """`epoch.large_scale,epoch.notable` (or a list) -> dataset keys; an unknown key or a
    whole source (`epoch`) is a usage error: the exception is granted dataset by dataset."""
    if not text:
        return []
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [n.strip() for n in items if n.strip()]
    known = all_dataset_keys()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(
            f"--accept-count-change: unknown dataset {', '.join(map(repr, unknown))}; "
            f"expected dataset keys such as {', '.join(known[:3])}"
        )
    return list(dict.fromkeys(names))


def accepted_count_changes(
    names: Iterable[str] | None, results: Iterable, previous_manifest: dict | None
) -> dict[str, dict]:
    """dataset -> {previous_records, records} for the accepted datasets this run fetched."""
    wanted = parse_datasets(list(names or []))
    previous = (previous_manifest or {}).get("sources", {})
    return {
        r.request.key: {
            "previous_records": previous.get(r.request.key, {}).get("records"),
            "records": r.info.get("records"),
        }
        for r in results
        if r.request.key in wanted
    }
