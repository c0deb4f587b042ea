"""The Hub census's tables in the data contract (`schema.py` publishes them as CENSUS_TABLES).

They are published beside the other tables but built apart from them, streamed into parquet
(docs/census.md).
"""

from __future__ import annotations

import pyarrow as pa

from ai_landscape.schema_types import (
    COMMERCIAL_USE,
    STRING_LIST,
    TIMESTAMP,
    WEIGHTS_ACCESS,
    Column,
)

HUB_RELATIONS = ("merge", "adapter", "quantized", "finetune", "unspecified")
HUB_GATED = ("false", "auto", "manual")
HUB_REPOS = (
    Column("repo_id", pa.string(), "Hub repo id `namespace/name` as the Hub writes it.", False),
    Column("author", pa.string(), "The repo's namespace (user or organization)."),
    Column("license_raw", pa.string(), "Card licence, its `license_name` for `other`, else tags."),
    Column("license_id", pa.string(), "Normalized licence id (data/reference/licenses.csv)."),
    Column(
        "weights_access",
        pa.string(),
        "Access state the licence implies; `unknown` without a recognised licence.",
        nullable=False,
        allowed=WEIGHTS_ACCESS,
    ),
    Column(
        "commercial_use",
        pa.string(),
        "Commercial use the licence allows.",
        nullable=False,
        allowed=COMMERCIAL_USE,
    ),
    Column("gated", pa.string(), "Access requests: `false`, `auto`, `manual`.", allowed=HUB_GATED),
    Column(
        "base_models",
        STRING_LIST,
        "Repo ids this repo declares it derives from (`base_model:` tags and card); empty if none.",
    ),
    Column(
        "relation",
        pa.string(),
        "How it derives from them (merge > adapter > quantized > finetune when several are "
        "declared; `unspecified`: a base without a relation); null without a base.",
        allowed=HUB_RELATIONS,
    ),
    Column("pipeline_tag", pa.string(), "The Hub's task tag."),
    Column("library", pa.string(), "The Hub's `library_name`."),
    Column(
        "created_at",
        TIMESTAMP,
        "Repo creation; null when unknown or the 2022-03-02 backfill stamp (older repos).",
    ),
    Column("downloads", pa.int64(), "Downloads in the last 30 days when listed."),
    Column("likes", pa.int64(), "Likes when listed."),
    Column("first_seen", TIMESTAMP, "First census that listed the repo.", nullable=False),
    Column(
        "locator", pa.string(), "The page it came from (`huggingface.census:<raw>#row=N`).", False
    ),
)
HUB_LINEAGE = (
    Column("base_repo_id", pa.string(), "The base repo, lower-case.", nullable=False),
    Column("month", pa.date32(), "First day of the derivatives' creation month; null: unknown."),
    Column("relation", pa.string(), "How they derive.", nullable=False, allowed=HUB_RELATIONS),
    Column("license_id", pa.string(), "The derivatives' licence id; null: none recognised."),
    Column("repos", pa.int64(), "How many repos.", nullable=False),
    Column(
        "root_repo_id",
        pa.string(),
        "The base's root: its earliest ancestor in the census through each repo's first "
        "declared base (the base itself when it declares none), lower-case. The `base_*` "
        "columns below describe the root, so a quantized Llama fine-tune counts for Llama.",
        nullable=False,
    ),
    Column("base_model_id", pa.string(), "The root's model in `models` (via `hf_repo_ids`)."),
    Column(
        "base_family",
        pa.string(),
        "That model's family, else the root repo's name without size and variant (`llama-2`).",
    ),
    Column(
        "base_organization",
        pa.string(),
        "That model's lead organization, else the lab data/reference/hf_organizations.csv "
        "names for the root's namespace.",
    ),
    Column("base_country_codes", STRING_LIST, "Their countries (ISO alpha-2); empty: unknown."),
)
