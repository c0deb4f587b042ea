"""Which source a model's field comes from when its sources disagree: declared here, only here.

By default sources rank as the caller's `rank` lists them (the pipeline passes
`pipeline/registry.DATASET_RANK`: Epoch's curated catalogue first), each source's datasets in
the order it names them. Some fields trust another source more:

- compute, parameters, countries, organizations: Epoch when present (the default);
- the licence of open weights, the access state and commercial terms it implies: the
  Hugging Face repo,
  where the licence is published with the weights (unless the Hub says only `other`, which
  any named licence beats: PLACEHOLDERS);
- API availability (`openrouter_ids`): OpenRouter;
- the release date: the best kind of date, not a source (`DATE_KIND_RANK`);
- repo and OpenRouter ids: every source's, together (`UNION_FIELDS`).

Disagreements are kept, not hidden: see `conflicts.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

# field -> sources that win for it, best first; the other sources follow in default order.
FIELD_SOURCES = {
    "license_id": ("huggingface",),
    # A repo's known licence decides the terms (restricted, non-commercial, unrestricted);
    # its `other` is no licence, so the state of a curated label then stands.
    "weights_access": ("huggingface",),
    "commercial_use": ("huggingface",),
    "openrouter_ids": ("openrouter",),
}
# Values that only say a value exists: any real value beats them, whatever its source's rank,
# and they are published only where no record has one. The Hub's licence `other` means "a
# licence outside the Hub's list"; a licence another source names says more.
PLACEHOLDERS = {"license_id": "other", "weights_access": "open_unspecified"}
# List fields that collect every source's values (in precedence order, no repeats).
UNION_FIELDS = ("hf_repo_ids", "openrouter_ids")

# Which kind of date is a release date, best first (release_date_field values of the sources).
# An announcement or publication beats a model page's release date or a lab's "now available"
# post (a model's first announcement came before), which beat a Hub repo's
# creation (never its 2022-03-02 backfill stamp: normalizers drop that), which beats a date
# known to the month, which beats the day a provider listed the model. Within one kind the
# earliest date wins: a model is released once, when it is first announced.
DATE_KIND_RANK = {
    "Publication date": 0,
    "announcement": 0,
    "release_date": 1,
    "availability announcement": 1,
    "createdAt": 2,
    "release_date (month only)": 3,
    "created (listing date)": 4,
}
# Kinds that state when a model was released; the others say when it was listed or uploaded.
RELEASE_DATE_KINDS = tuple(kind for kind, rank in DATE_KIND_RANK.items() if rank <= 1)


def field_rank(field: str, rank: Sequence[str]) -> dict[str, int]:
    """`source.dataset` -> position for one field: its preferred sources first, then `rank`."""
    preferred = FIELD_SOURCES.get(field, ())

    def position(key: str) -> tuple[int, int]:
        source = key.split(".", 1)[0]
        first = preferred.index(source) if source in preferred else len(preferred)
        return first, rank.index(key)

    return {key: i for i, key in enumerate(sorted(rank, key=position))}
