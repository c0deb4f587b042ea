"""The data contract: every published table's columns, types, meanings and allowed values.

One definition serves the parquet schema (with column descriptions in its metadata), the
validation suites' enum sets and the README's column dictionary, so they cannot drift apart.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from ai_landscape.schema_hub import HUB_LINEAGE, HUB_REPOS
from ai_landscape.schema_types import (
    COMMERCIAL_USE,
    STRING_LIST,
    TIMESTAMP,
    WEIGHTS_ACCESS,
    Column,
)

# `open_unspecified`: a source says the weights are public but no licence says on what terms
# (models.dev's `open_weights = true` without a licence); any named open state beats it.
OPEN_ACCESS = ("open_unrestricted", "open_restricted", "open_noncommercial", "open_unspecified")
CLOSED_ACCESS = ("api", "hosted", "unreleased")
OPENNESS = ("open", "closed", "unknown")
COMPUTE_METHOD = ("reported", "operation_count", "hardware", "source")
COMPUTE_CONFIDENCE = ("confident", "likely", "speculative", "unknown")
LARGE_SCALE = ("confirmed", "estimated", "unconfirmed", "below", "unknown")
LARGE_SCALE_FLOP = 1e23
# Whether a model's training compute is its own run or includes its base model's (lineage.py).
COMPUTE_SCOPES = ("own_run", "includes_base")
SUMMARY_SCOPES = ("all", "large_scale_confirmed")
# Sources whose records never make a model on their own: a feed item dates a model that some
# catalogue lists (its announcement is release-date evidence). `models.sources` may name them.
DATING_SOURCES = ("feeds",)
# One group per model for "US vs China" (report/groups.py decides which).
COUNTRY_GROUPS = ("US", "CN", "US+CN", "rest_of_world", "unknown")

MODELS = (
    Column("model_id", pa.string(), "Stable slug `org/name`, lower-case.", nullable=False),
    Column("name", pa.string(), "Display name.", nullable=False),
    Column("family", pa.string(), "Model family, e.g. `llama-3.1`."),
    Column(
        "base_model_id",
        pa.string(),
        "For a fine-tune: the `model_id` of the model it was trained from, in this table: the "
        "base a source states (Epoch's `Base model`, the Hub's `base_model:finetune:` tags), "
        "else the base release an instruction-tuned name points to (`...-instruct`, `-chat`, "
        "`-it`); null otherwise.",
    ),
    Column("organizations", STRING_LIST, "Canonical organization names, lead first."),
    Column(
        "country_codes",
        STRING_LIST,
        "ISO 3166-1 alpha-2 codes of the organizations (HK separate from CN); empty if unknown.",
    ),
    Column("release_date", pa.date32(), "First public announcement or publication."),
    Column("release_date_source", pa.string(), "Which source and field gave release_date."),
    Column(
        "weights_access",
        pa.string(),
        "How the weights can be had.",
        nullable=False,
        allowed=WEIGHTS_ACCESS,
    ),
    Column(
        "openness",
        pa.string(),
        "`open` for the three open_* states, `closed` for api/hosted/unreleased.",
        nullable=False,
        allowed=OPENNESS,
    ),
    Column("license_id", pa.string(), "SPDX id where one exists, else a stable id."),
    Column(
        "commercial_use",
        pa.string(),
        "Whether the licence allows commercial use.",
        nullable=False,
        allowed=COMMERCIAL_USE,
    ),
    Column("parameters", pa.float64(), "Total parameters."),
    Column("active_parameters", pa.float64(), "Active parameters (mixture-of-experts)."),
    Column("training_tokens", pa.float64(), "Training dataset size in tokens."),
    Column("training_compute_flop", pa.float64(), "Training compute in FLOP."),
    Column(
        "compute_method",
        pa.string(),
        "How training_compute_flop was obtained.",
        allowed=COMPUTE_METHOD,
    ),
    Column(
        "compute_confidence",
        pa.string(),
        "Confidence in training_compute_flop.",
        allowed=COMPUTE_CONFIDENCE,
    ),
    Column(
        "large_scale",
        pa.string(),
        "`confirmed`: compute >= 1e23 known; `estimated`: our estimate >= 1e23; "
        "`unconfirmed`: listed as likely >= 1e23, compute unknown; `below`; `unknown`.",
        nullable=False,
        allowed=LARGE_SCALE,
    ),
    Column(
        "listed_large_scale",
        pa.bool_(),
        "Whether Epoch's large-scale list names the model (compute confirmed, estimated or "
        "unknown there; a model it lists twice counts once).",
        nullable=False,
    ),
    Column(
        "compute_scope",
        pa.string(),
        "`includes_base`: training_compute_flop counts a base model's training too (a "
        "fine-tune, as Epoch and the 1e23 headline count it); `own_run`: the model's own "
        "training only; null where compute is unknown.",
        allowed=COMPUTE_SCOPES,
    ),
    Column(
        "finetune_compute_flop",
        pa.float64(),
        "A fine-tune's own training compute in FLOP (Epoch's `Finetune compute (FLOP)`); "
        "null otherwise.",
    ),
    Column("hf_repo_ids", STRING_LIST, "Hugging Face repos of the weights."),
    Column("openrouter_ids", STRING_LIST, "OpenRouter model ids."),
    Column("sources", STRING_LIST, "Sources that contributed to this row.", nullable=False),
    Column(
        "provenance",
        pa.string(),
        "JSON object: field -> `source.dataset:locator` of the record that supplied it.",
        nullable=False,
    ),
    Column("first_seen", TIMESTAMP, "When the pipeline first saw this model.", nullable=False),
    Column("last_seen", TIMESTAMP, "When the pipeline last saw this model.", nullable=False),
)

SOURCE_RECORDS = (
    Column("source", pa.string(), "Source name, e.g. `epoch`.", nullable=False),
    Column(
        "dataset", pa.string(), "Dataset within the source, e.g. `large_scale`.", nullable=False
    ),
    Column("row", pa.int64(), "0-based record position in the fetched document.", nullable=False),
    Column("source_key", pa.string(), "The source's own key for the record.", nullable=False),
    Column("model_id", pa.string(), "Canonical model the record resolved to (null: none)."),
    Column(
        "raw_locator", pa.string(), "Raw-zone object holding the fetched bytes.", nullable=False
    ),
    Column(
        "retrieved_at",
        TIMESTAMP,
        "When the bytes holding this record were fetched.",
        nullable=False,
    ),
    Column(
        "stale",
        pa.bool_(),
        "True when the source failed this run and the record was carried over from the "
        "last bytes it served (see the manifest's `stale_since` and error).",
        nullable=False,
    ),
    Column("record", pa.string(), "The parsed record as JSON, every field kept.", nullable=False),
)

SUMMARY_BY_YEAR = (
    Column(
        "scope",
        pa.string(),
        "`all` models or `large_scale_confirmed` only.",
        nullable=False,
        allowed=SUMMARY_SCOPES,
    ),
    Column("year", pa.int32(), "Release year.", nullable=False),
    Column("openness", pa.string(), "Openness.", nullable=False, allowed=OPENNESS),
    Column(
        "weights_access",
        pa.string(),
        "Weights access.",
        nullable=False,
        allowed=WEIGHTS_ACCESS,
    ),
    Column("large_scale", pa.string(), "Large-scale class.", nullable=False, allowed=LARGE_SCALE),
    Column(
        "country_group",
        pa.string(),
        "The model's one group for US-vs-China charts: US, CN, US+CN (joint), rest_of_world, "
        "unknown (see README, Reading the data).",
        nullable=False,
        allowed=COUNTRY_GROUPS,
    ),
    Column(
        "country_code",
        pa.string(),
        "ISO alpha-2 of one of the model's organizations; null when none is known. A model "
        "counts once per distinct country, so sums over countries can exceed model counts.",
    ),
    Column(
        "first_country",
        pa.bool_(),
        "True on one row per model: filter on it to count each model once.",
        nullable=False,
    ),
    Column("models", pa.int64(), "Number of models.", nullable=False),
)

# The headline chart's own numbers (report section 1, top panel): nothing to filter, so a
# plain sum cannot count a model twice (summary_by_year has two scopes and a row per country).
LARGE_SCALE_BY_YEAR = (
    Column("year", pa.int32(), "Release year.", nullable=False),
    Column(
        "country_group",
        pa.string(),
        "The model's one group: US, CN, US+CN (joint), rest_of_world, unknown.",
        nullable=False,
        allowed=COUNTRY_GROUPS,
    ),
    Column("openness", pa.string(), "Openness.", nullable=False, allowed=OPENNESS),
    Column(
        "models",
        pa.int64(),
        "Models with `large_scale = confirmed` (training compute >= 1e23 FLOP known) and a "
        "release date, each counted once: `sum(models)` is the chart's total.",
        nullable=False,
    ),
)

FEED_KINDS = ("official", "community", "github_releases")

ANNOUNCEMENTS = (
    Column("feed", pa.string(), "Feed dataset, as in `data/reference/feeds.csv`.", nullable=False),
    Column(
        "organization", pa.string(), "The feed's lab, spelled as Epoch spells it.", nullable=False
    ),
    Column(
        "kind",
        pa.string(),
        "`official` (the lab's own feed), `community` (a third-party scrape of a lab's news "
        "page) or `github_releases`.",
        nullable=False,
        allowed=FEED_KINDS,
    ),
    Column("item_title", pa.string(), "The item's title as published.", nullable=False),
    Column("link", pa.string(), "The item's link (its guid if it has none).", nullable=False),
    Column("published", pa.date32(), "Item date in the lab's own time zone."),
    Column(
        "is_model_announcement",
        pa.bool_(),
        "Whether the item announces a model (normalize/announcement_table.py).",
        nullable=False,
    ),
    Column(
        "model_names",
        STRING_LIST,
        "Model names extracted, the announced one first; empty if none.",
        nullable=False,
    ),
    Column(
        "rule",
        pa.string(),
        "The detection rule that decided (`announcements.RULE_NAMES`): the first that fired, "
        "or `veto_system_card` / `veto_product`; `classifier` / `veto_classifier` where the "
        "learned classifier overruled the rules; null if none fired.",
    ),
    Column(
        "evidence",
        STRING_LIST,
        "Every rule that fired, in rule order, with the name it captured "
        "(`title_intro=GPT-4.1`), then the classifier's probability (`classifier=0.93`); "
        "docs/announcements.md.",
        nullable=False,
    ),
)

EVENT_TYPES = (
    "model_added",
    "model_removed",
    "access_changed",
    "license_changed",
    "compute_revised",
    "release_date_changed",
)

EVENTS = (
    Column("event_type", pa.string(), "What changed.", nullable=False, allowed=EVENT_TYPES),
    Column("model_id", pa.string(), "The model it changed for.", nullable=False),
    Column("field", pa.string(), "The `models` column that changed (null: added/removed)."),
    Column("old", pa.string(), "The value before, as text (the name for a removal)."),
    Column("new", pa.string(), "The value after, as text (the name for an addition)."),
    Column("detected_at", TIMESTAMP, "When the run that saw the change started.", nullable=False),
    Column(
        "evidence",
        pa.string(),
        "The record that supplied the new value (`source.dataset:<raw object>#row=N`), or "
        "`snapshot:<id>` of the previous snapshot for a removal.",
    ),
)

CONFLICT_FIELDS = (
    "organizations",
    "country_codes",
    "release_date",
    "weights_access",
    "license_id",
    "parameters",
    "training_compute_flop",
)
CONFLICTS = (
    Column("model_id", pa.string(), "The model whose sources disagree.", nullable=False),
    Column(
        "field",
        pa.string(),
        "The `models` column they disagree on.",
        nullable=False,
        allowed=CONFLICT_FIELDS,
    ),
    Column("source", pa.string(), "The dataset that says it (`source.dataset`).", nullable=False),
    Column("value", pa.string(), "What that dataset says, as text.", nullable=False),
    Column(
        "chosen",
        pa.bool_(),
        "Whether this is the value `models` publishes (precedence.py decides).",
        nullable=False,
    ),
    Column(
        "locator",
        pa.string(),
        "The record that says it (`source.dataset:<raw object>#row=N`).",
        nullable=False,
    ),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "models": MODELS,
    "source_records": SOURCE_RECORDS,
    "summary_by_year": SUMMARY_BY_YEAR,
    "large_scale_by_year": LARGE_SCALE_BY_YEAR,
    "announcements": ANNOUNCEMENTS,
    "events": EVENTS,
    "conflicts": CONFLICTS,
}

# The Hub census (docs/census.md, schema_hub.py): published beside the tables above but built
# apart from them, streamed into parquet.
CENSUS_TABLES: dict[str, tuple[Column, ...]] = {"hub_repos": HUB_REPOS, "hub_lineage": HUB_LINEAGE}
CONTRACT: dict[str, tuple[Column, ...]] = {**TABLES, **CENSUS_TABLES}


def arrow_schema(table: str) -> pa.Schema:
    """The parquet schema of a table, with each column's description in its field metadata."""
    return pa.schema(
        [
            pa.field(c.name, c.type, nullable=c.nullable, metadata={"description": c.description})
            for c in CONTRACT[table]
        ],
        metadata={"table": table},
    )


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """Cast a frame to the contract's schema; a missing or extra column is a programming error."""
    columns = [c.name for c in CONTRACT[table]]
    missing = [c for c in columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in columns]
    if missing or extra:
        raise ValueError(f"table {table!r}: missing columns {missing}, unexpected columns {extra}")
    return pa.Table.from_pandas(frame[columns], schema=arrow_schema(table), preserve_index=False)
