"""OpenRouter model-list JSON -> one frame of records. Pure: no I/O.

Both recorded schemas parse alike: 2026-05 (`{"data": [...]}`) and 2026-08 (adds
`total_count` and `links.next` beside `data`). Every field of a model is kept as the JSON
gave it (nested objects stay dicts), so `source_records` holds the whole record.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.sources.base import SourceSchemaError, load_json
from ai_landscape.sources.openrouter.constants import ID, REQUIRED_KEYS


def parse_models(body: bytes, dataset: str, origin: str) -> pd.DataFrame:
    models = model_list(load_json(body, origin), origin)
    frame = pd.DataFrame(models, dtype=object)
    _check_required(frame, origin)
    frame.insert(0, "_row", range(len(frame)))
    return frame


def model_list(document: object, origin: str) -> list[dict]:
    """The `data` list of models, checked to be a non-empty list of objects."""
    if not isinstance(document, dict):
        raise SourceSchemaError(
            f"{origin}: top level is a JSON {type(document).__name__}, not an object"
        )
    models = document.get("data")
    if not isinstance(models, list):
        keys = ", ".join(map(repr, document)) or "none"
        raise SourceSchemaError(f"{origin}: no 'data' list at the top level (keys: {keys})")
    if not models:
        raise SourceSchemaError(f"{origin}: 'data' lists no models")
    not_objects = [i for i, m in enumerate(models) if not isinstance(m, dict)]
    if not_objects:
        raise SourceSchemaError(f"{origin}: model {not_objects[0]} is not a JSON object")
    return models


def _check_required(frame: pd.DataFrame, origin: str) -> None:
    """Every model needs each REQUIRED_KEYS value; a key gone from all of them is a renamed
    field (schema drift), a key gone from some is a broken record. Either stops the parse."""
    for key in REQUIRED_KEYS:
        if key not in frame.columns:
            raise SourceSchemaError(f"{origin}: required key {key!r} is missing from every model")
        blank = frame.index[frame[key].isna()]
        if len(blank):
            row = blank[0]
            ident = frame.at[row, ID] if ID in frame.columns else None
            named = f" ({ident!r})" if isinstance(ident, str) else ""
            raise SourceSchemaError(
                f"{origin}: model {row}{named} has no {key!r}"
                + (f" (and {len(blank) - 1} more)" if len(blank) > 1 else "")
            )
