"""What every source module provides, so the flow can treat them alike."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from ai_landscape.http.client import HttpClient, Response


class SourceSchemaError(ValueError):
    """A fetched document lacks what its parser needs: the source changed its format."""


# The first heading or title of an HTML page, to say which error page came instead of data.
_HEADINGS = tuple(
    re.compile(rf"<{tag}[^>]*>\s*(.*?)\s*</{tag}>", re.IGNORECASE | re.DOTALL)
    for tag in ("h1", "title")
)


def load_json(body: bytes, origin: str) -> Any:
    """The decoded document of a JSON API, or an error that says what came instead: nothing,
    an HTML error page (a proxy, CDN or rate limiter can serve one with status 200), a body
    cut short, or a fault at a named place."""
    if not body.strip():
        raise SourceSchemaError(f"{origin}: empty body where JSON was expected")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceSchemaError(f"{origin}: not UTF-8 text ({exc})") from exc
    refuse_html(text, origin, "JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # Cut just after a "}", a document still ends like JSON; the decoder then fails at
        # its very end.
        end = len(text.rstrip())
        if exc.pos >= end or not text.rstrip().endswith(("]", "}")):
            raise SourceSchemaError(
                f"{origin}: the JSON stops before the document is complete, after "
                f"{len(body)} bytes (truncated download?)"
            ) from exc
        raise SourceSchemaError(
            f"{origin}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc


def refuse_html(text: str, origin: str, expected: str) -> None:
    """An HTML page (a proxy's, CDN's or rate limiter's error page, served with status 200)
    where data was expected is named as such, with its heading, not as a broken document."""
    if not text.lstrip().startswith("<"):
        return
    heading = next((m.group(1) for p in _HEADINGS if (m := p.search(text[:8192]))), None)
    raise SourceSchemaError(
        f"{origin}: an HTML page where {expected} was expected (an error page served with "
        f"status 200?)" + (f"; its heading: {heading!r}" if heading else "")
    )


def fetch_one(client: HttpClient, dataset: str, url: str) -> list[Response]:
    """Most datasets are one document at one URL."""
    return [client.get(url)]


def rebase_file_name(base: str, default_url: str) -> str:
    """`--source-url NAME=BASE` for file exports: the same file name under a mirror folder or
    server (`epoch=http://mirror/data` -> `http://mirror/data/large_scale_ai_models.csv`)."""
    return base.rstrip("/") + "/" + default_url.rsplit("/", 1)[-1]


def rebase_host(base: str, default_url: str) -> str:
    """`--source-url NAME=BASE` for APIs: the same path and query on another host
    (`huggingface=http://127.0.0.1:8000` -> `http://127.0.0.1:8000/api/models?...`)."""
    parts = urlsplit(default_url)
    return base.rstrip("/") + urlunsplit(("", "", parts.path, parts.query, ""))


@dataclass(frozen=True)
class SourceSpec:
    name: str
    # dataset -> default URL, in order of precedence when datasets disagree;
    # `--source-url source.dataset=URL` overrides one of them.
    urls: Mapping[str, str]
    # Pure: (body, dataset, origin) -> one frame of records with a `_row` column (0-based
    # position in that document). `origin` names the document in error messages.
    parse: Callable[[bytes, str, str], pd.DataFrame]
    # Pure: (records of all documents of a dataset, dataset) -> candidate rows
    # (CANDIDATE_COLUMNS, built with `candidates()`), one per record, same index.
    normalize: Callable[[pd.DataFrame, str], pd.DataFrame]
    # Every request a dataset needs (pagination, per-organization lists, detail calls).
    # Only the returned responses are stored and parsed, in order.
    fetch: Callable[[HttpClient, str, str], list[Response]] = fetch_one
    # How a source-level `--source-url NAME=BASE` turns a dataset's default URL into its URL.
    rebase: Callable[[str, str], str] = rebase_file_name
    # Datasets nothing was ever recorded for: a replay run skips them (unless their URL is
    # overridden with a local file) instead of failing on a missing recording.
    live_only: frozenset[str] = frozenset()
    # Whether a record can make a model on its own. A catalogue's can; a feed item only dates
    # a model some catalogue lists (its announcement is release-date evidence): alone, it
    # resolves to no model.
    creates_models: bool = True


# The fields a source record can contribute to a model, in the contract's names, plus where
# the record came from. Every normalizer returns exactly these columns.
CANDIDATE_COLUMNS = {
    "source": "source name",
    "dataset": "dataset name",
    "row": "record position in its document (int)",
    "source_key": "the source's own id for the record (HF repo id, OpenRouter id, ...)",
    "model_id": "the `org/name` slug this record suggests (null: none)",
    "name": "display name",
    "organizations": "list of organization names as the source writes them",
    "country_codes": "list of ISO alpha-2 codes",
    "release_date": "datetime.date or None",
    "release_date_field": "which field gave release_date (`Publication date`, `createdAt`, ...)",
    "weights_access": "one of schema.WEIGHTS_ACCESS, or null when the source does not say",
    "license_raw": "licence text exactly as the source gives it (null: none)",
    "license_id": "normalized licence id (set by normalize/reference.py from license_raw)",
    "commercial_use": "one of schema.COMMERCIAL_USE, from the licence (null: not known)",
    "parameters": "float total parameters",
    "active_parameters": "float active parameters (mixture-of-experts)",
    "training_tokens": "float",
    "training_compute_flop": "float",
    "compute_confidence": "one of schema.COMPUTE_CONFIDENCE or null",
    "compute_method": "one of schema.COMPUTE_METHOD or null",
    "hf_repo_ids": "list of Hugging Face repo ids of the weights",
    "openrouter_ids": "list of OpenRouter model ids",
    "listed_large_scale": "bool: a curated large-scale list names this record",
    "quality_flags": "list of suspected unit errors (normalize/compute.py), values kept",
}
_LIST_COLUMNS = (
    "organizations",
    "country_codes",
    "hf_repo_ids",
    "openrouter_ids",
    "quality_flags",
)
_FLOAT_COLUMNS = ("parameters", "active_parameters", "training_tokens", "training_compute_flop")


def candidates(records: pd.DataFrame, source: str, dataset: str, **columns) -> pd.DataFrame:
    """One candidate row per record (same index, `row` from the record's `_row`): the given
    columns as passed, the others empty (null, [] or False), in CANDIDATE_COLUMNS order. An
    unknown column name is a programming error."""
    unknown = set(columns) - set(CANDIDATE_COLUMNS)
    if unknown:
        raise ValueError(f"not candidate columns: {sorted(unknown)}")
    index = records.index
    columns.update(source=source, dataset=dataset, row=records["_row"].astype("int64"))
    frame = pd.DataFrame(index=index)
    for name in CANDIDATE_COLUMNS:
        if name in columns:
            frame[name] = columns[name]
        elif name in _LIST_COLUMNS:
            frame[name] = pd.Series([[] for _ in range(len(index))], index=index, dtype=object)
        elif name in _FLOAT_COLUMNS:
            frame[name] = float("nan")
        elif name == "listed_large_scale":
            frame[name] = False
        else:
            frame[name] = None
    return frame
