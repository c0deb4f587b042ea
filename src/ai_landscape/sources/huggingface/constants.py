"""Hugging Face Hub API: where the datasets live, which fields matter, which labs to list."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from functools import cache

from ai_landscape.settings import REFERENCE_DIR

SOURCE = "huggingface"

# Fields asked of the list endpoint for the per-author listing. `expand[]` rather than
# `full=true`: full adds every file name (`siblings`) but neither `cardData` nor
# `safetensors`, which hold the licence and the parameter count.
AUTHOR_LIST_FIELDS = (
    "author",
    "cardData",
    "createdAt",
    "downloads",
    "gated",
    "lastModified",
    "library_name",
    "likes",
    "pipeline_tag",
    "safetensors",
    "sha",
    "tags",
)
AUTHOR_PLACEHOLDER = "{author}"
REPO_PLACEHOLDER = "{repo_id}"

# In order of precedence. A placeholder makes one request per value:
# - details: `GET /api/models/{repo_id}` for each of DETAIL_REPOS (the full record);
# - authors: every repo of every lab in `data/reference/hf_organizations.csv`, newest first,
#   followed through the `Link: <...>; rel="next"` pages (replay: seven labs' listings of
#   2025-10, re-serialized from a recorded dump; see data/replay/huggingface/PROVENANCE.md);
# - trending: the Hub's 15 top-trending repos, one page. This exact URL is the one the
#   recorded copy was fetched from, so replay serves it as it was received.
URLS = {
    "details": f"https://huggingface.co/api/models/{REPO_PLACEHOLDER}",
    "authors": (
        f"https://huggingface.co/api/models?author={AUTHOR_PLACEHOLDER}"
        "&sort=createdAt&direction=-1&limit=100&"
        + "&".join(f"expand[]={field}" for field in AUTHOR_LIST_FIELDS)
    ),
    "trending": "https://huggingface.co/api/models?sort=trendingScore&limit=15",
}
# Datasets with no recorded responses: a replay run cannot serve them.
LIVE_ONLY: frozenset[str] = frozenset()
# Datasets whose documents are JSON arrays of models (the others: one model object).
LIST_DATASETS = frozenset({"authors", "trending"})
# Datasets whose listings are followed through their `Link` next pages.
PAGINATED_DATASETS = frozenset({"authors"})

# Repos whose full detail record is fetched one by one: the ones recorded with their headers
# (ETag) in huggingface_hub's test cassettes. `google-bert/bert-base-uncased` is where the
# legacy id `bert-base-uncased` redirects (307); the canonical id is requested so that live and
# replay runs ask for the same URL.
DETAIL_REPOS = (
    "google-bert/bert-base-uncased",
    "deepset/roberta-base-squad2",
    "sentence-transformers/paraphrase-albert-small-v2",
    "stabilityai/stable-diffusion-2-1",
)

# A bound on one listing's pages (100 repos each): the largest lab namespaces hold about a
# thousand repos, so reaching it means a runaway cursor rather than a real listing.
MAX_PAGES = 30

ID = "id"
AUTHOR = "author"
CREATED_AT = "createdAt"
GATED = "gated"
TAGS = "tags"
CARD_DATA = "cardData"
SAFETENSORS = "safetensors"
# Nested values parse lifts into their own columns (`cardData.license`, ...), so normalize
# never decodes JSON per row.
CARD_FIELDS = ("license", "license_name", "license_link", "base_model")
SAFETENSORS_FIELDS = ("total",)
CARD_LICENSE = f"{CARD_DATA}.license"
CARD_LICENSE_NAME = f"{CARD_DATA}.license_name"
PARAMETER_TOTAL = f"{SAFETENSORS}.total"
# Every model object must carry these; a missing one means the API changed its format.
REQUIRED_FIELDS = (ID, CREATED_AT)
# Columns every parsed frame has, null where a model lacks them, so normalize can rely on them.
BASE_COLUMNS = (ID, AUTHOR, CREATED_AT, GATED, TAGS)
LICENSE_TAG_PATTERN = r'"license:([^"]+)"'  # in the JSON text of `tags`
# `base_model:<relation>:<repo>` tags the Hub derives from a card's `base_model`: a fine-tune,
# adapter or merge is another model trained from the base; `quantized` is the same weights.
BASE_MODEL_TAG_PATTERN = r'"base_model:(?:finetune|adapter|merge):([^"]+)"'
LICENSE_OTHER = "other"

# Repos that predate the Hub's creation dates were all stamped when the dates were backfilled,
# on 2022-03-02 at 23:29:04 or 23:29:05 UTC (`google-bert/bert-base-uncased` at :04,
# `deepset/roberta-base-squad2` at :05; 616 of 2,028 repos of seven large labs in a 2025 dump).
# A createdAt inside this window says "older than March 2022", not when the repo was created.
CREATED_AT_SENTINEL = (
    datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC),
    datetime(2022, 3, 2, 23, 29, 6, tzinfo=UTC),  # exclusive
)
RELEASE_DATE_FIELD = CREATED_AT

ORGANIZATIONS_CSV = REFERENCE_DIR / "hf_organizations.csv"


@cache
def _reference_rows() -> tuple[dict[str, str], ...]:
    with open(ORGANIZATIONS_CSV, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def reference_authors() -> tuple[str, ...]:
    """The Hub namespaces the `authors` dataset lists, as the reference table writes them."""
    return tuple(row["hf_author"] for row in _reference_rows())


@cache
def reference_organizations() -> dict[str, tuple[str, str]]:
    """Hub author (case-folded) -> (organization as Epoch AI writes it, ISO alpha-2 or '')."""
    rows = _reference_rows()
    table = {row["hf_author"].casefold(): (row["organization"], row["country"]) for row in rows}
    if len(table) != len(rows):
        raise ValueError(f"{ORGANIZATIONS_CSV}: an hf_author is listed twice")
    return table
