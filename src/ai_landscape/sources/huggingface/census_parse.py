"""One census page (`GET /api/models` JSON bytes) -> one Arrow table. Pure: no I/O.

Only what `hub_repos` needs is lifted out of each model object: a page of a thousand repos
with card data and tags is about a megabyte of JSON, and two thousand of them must pass
through one process without the listing ever sitting in memory whole. Nothing is decided
here (no licence, no relation): normalize does that, vectorized, per batch of pages.
"""

from __future__ import annotations

from typing import Any

import orjson
import pyarrow as pa

from ai_landscape.sources.base import SourceSchemaError, load_json
from ai_landscape.sources.huggingface.census_constants import BASE_TAG, LICENSE_TAG

STRINGS = pa.list_(pa.string())
PAGE_SCHEMA = pa.schema(
    [
        pa.field("repo_id", pa.string(), nullable=False),
        pa.field("author", pa.string()),
        pa.field("card_license", pa.string()),
        pa.field("card_license_name", pa.string()),
        pa.field("license_tags", pa.string()),  # the `license:` tags, joined with ", "
        pa.field("base_tags", STRINGS),  # every `base_model:...` tag, as written
        pa.field("card_base_models", STRINGS),  # the card's `base_model` (text or list)
        pa.field("card_base_relation", pa.string()),
        pa.field("pipeline_tag", pa.string()),
        pa.field("library_name", pa.string()),
        pa.field("created_at", pa.string()),
        pa.field("gated", pa.string()),
        pa.field("downloads", pa.int64()),
        pa.field("likes", pa.int64()),
        pa.field("row", pa.int32(), nullable=False),
    ]
)


def parse_page(body: bytes, origin: str) -> pa.Table:
    """A JSON array of model objects, each with a text `id`; anything else names `origin`."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        load_json(body, origin)  # raises the error that says what came instead
        raise  # pragma: no cover - load_json accepted what orjson refused
    if isinstance(document, dict) and "error" in document:
        raise SourceSchemaError(f"{origin}: the Hub answered with an error: {document['error']!r}")
    if not isinstance(document, list):
        raise SourceSchemaError(f"{origin}: expected a JSON array of models")
    columns: dict[str, list] = {name: [] for name in PAGE_SCHEMA.names}
    for position, item in enumerate(document):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise SourceSchemaError(f"{origin}: item {position} is not a model with a text 'id'")
        _lift(item, position, origin, columns)
    return pa.Table.from_pydict(columns, schema=PAGE_SCHEMA)


def _lift(item: dict, position: int, origin: str, out: dict[str, list]) -> None:
    card = item.get("cardData") or {}
    if not isinstance(card, dict):
        raise SourceSchemaError(f"{origin}: {item['id']}: 'cardData' is not an object")
    tags = item.get("tags") or ()
    licences = [t[len(LICENSE_TAG) :] for t in tags if t.startswith(LICENSE_TAG)]
    out["repo_id"].append(item["id"])
    out["author"].append(_text(item.get("author")))
    out["card_license"].append(_text(card.get("license")))
    out["card_license_name"].append(_text(card.get("license_name")))
    out["license_tags"].append(", ".join(licences) if licences else None)
    out["base_tags"].append([t for t in tags if t.startswith(BASE_TAG)])
    out["card_base_models"].append(_texts(card.get("base_model")))
    out["card_base_relation"].append(_text(card.get("base_model_relation")))
    out["pipeline_tag"].append(_text(item.get("pipeline_tag")))
    out["library_name"].append(_text(item.get("library_name")))
    out["created_at"].append(_text(item.get("createdAt")))
    gated = item.get("gated")
    out["gated"].append(None if gated is None else str(gated).lower())
    out["downloads"].append(_count(item.get("downloads")))
    out["likes"].append(_count(item.get("likes")))
    out["row"].append(position)


def _text(value: Any) -> str | None:
    """A card field is free YAML: a licence can be a list, a number, a mapping. Lists keep
    their text items joined; other non-text values are dropped rather than guessed at."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        items = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return ", ".join(items) or None
    return None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
