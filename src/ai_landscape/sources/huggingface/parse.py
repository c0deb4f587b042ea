"""Hub API JSON bytes -> one frame of records, one row per model. Pure: no I/O.

A list page gives one row per model, a detail document one row. Every top-level field is kept;
objects and arrays (`cardData`, `tags`, `siblings`, ...) become JSON text so the frame stays
flat, and the few nested values normalize needs are lifted into columns of their own
(`cardData.license`, `safetensors.total`, ...).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ai_landscape.sources.base import SourceSchemaError, load_json
from ai_landscape.sources.huggingface.constants import (
    BASE_COLUMNS,
    CARD_DATA,
    CARD_FIELDS,
    ID,
    LIST_DATASETS,
    REQUIRED_FIELDS,
    SAFETENSORS,
    SAFETENSORS_FIELDS,
)

_NESTED = ((CARD_DATA, CARD_FIELDS), (SAFETENSORS, SAFETENSORS_FIELDS))


def parse_json(body: bytes, dataset: str, origin: str) -> pd.DataFrame:
    items = _models(load_json(body, origin), dataset, origin)
    for field in REQUIRED_FIELDS:
        missing = [i for i, item in enumerate(items) if not item.get(field)]
        if missing:
            first = items[missing[0]].get(ID)
            raise SourceSchemaError(
                f"{origin}: {len(missing)} of {len(items)} models have no {field!r} field "
                f"(first: item {missing[0]}{f', {first}' if first else ''})"
            )
    frame = pd.DataFrame.from_records(items) if items else pd.DataFrame()
    frame = frame.reindex(columns=list(dict.fromkeys([*BASE_COLUMNS, *frame.columns])))
    # Text columns are `str` under pandas 3, mixed ones (lists, objects) `object`: both.
    for column in frame.select_dtypes(include=["object", "str"]).columns:
        frame[column] = frame[column].map(_as_text)
    for parent, fields in _NESTED:
        values = [_nested(item, parent, origin) for item in items]
        for field in fields:
            frame[f"{parent}.{field}"] = pd.Series(
                [_as_text(value.get(field)) for value in values], index=frame.index, dtype=object
            )
    frame.insert(0, "_row", range(len(frame)))
    return frame


def _models(document: Any, dataset: str, origin: str) -> list[dict]:
    if isinstance(document, dict) and "error" in document and ID not in document:
        raise SourceSchemaError(f"{origin}: the Hub answered with an error: {document['error']!r}")
    if dataset in LIST_DATASETS:
        if not isinstance(document, list):
            raise SourceSchemaError(
                f"{origin}: expected a JSON array of models, got {_kind(document)}"
            )
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise SourceSchemaError(
            f"{origin}: expected a JSON object (one model), got {_kind(document)}"
        )
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise SourceSchemaError(f"{origin}: item {position} is {_kind(item)}, not a model")
    return items


def _nested(item: dict, parent: str, origin: str) -> dict:
    value = item.get(parent)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourceSchemaError(
            f"{origin}: {item[ID]}: {parent!r} is {_kind(value)}, expected an object"
        )
    return value


def _as_text(value: Any) -> Any:
    """Objects and arrays as JSON text; scalars as they are."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    kinds = {dict: "an object", list: "an array", str: "a string", int: "a number"}
    return kinds.get(type(value), "a number")
