"""The Hub's whole model listing (`huggingface.census`): the URL, its fields, and its bounds.

Kept apart from `constants.py` (the per-lab datasets): the census is read page by page into
parquet and never becomes source records or model candidates.
"""

from __future__ import annotations

from ai_landscape.sources.huggingface.constants import AUTHOR_LIST_FIELDS

DATASET = "census"
KEY = f"huggingface.{DATASET}"
# The Hub's largest page. `expand[]` asks for the per-lab listing's fields but `safetensors`
# (parameter counts, not a census question); `cardData` carries `license_name` (when the
# licence is `other`) and `base_model`/`base_model_relation`, which the tags alone do not.
PAGE_SIZE = 1000
FIELDS = tuple(f for f in AUTHOR_LIST_FIELDS if f != "safetensors")  # no parameter counts
CENSUS_URL = f"https://huggingface.co/api/models?limit={PAGE_SIZE}&" + "&".join(
    f"expand[]={field}" for field in FIELDS
)
# About two million public repos in 2026 at 1,000 a page: a cursor still going after ten
# times that is a runaway, not the Hub.
MAX_PAGES = 20_000
# A stored cursor older than this is not resumed: the listing has moved on, start afresh.
RESUME_MAX_AGE_HOURS = 24.0
# Pages parsed and normalized together (one task, one parquet part).
CHUNK_PAGES = 25

# How a repo says what it was made from: `base_model:<relation>:<repo>` tags (the Hub writes
# them from the card's `base_model` and `base_model_relation`), a bare `base_model:<repo>`, and
# the card itself. Where a repo declares several relations, the first of this order wins: a
# merge of several bases, then an adapter, a quantization, a fine-tune.
RELATIONS = ("merge", "adapter", "quantized", "finetune")
# A base named with no relation (a bare tag or card `base_model` only).
UNSPECIFIED = "unspecified"
BASE_TAG = "base_model:"
LICENSE_TAG = "license:"
GATED_VALUES = ("false", "auto", "manual")
