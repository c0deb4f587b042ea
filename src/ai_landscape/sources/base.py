"""What every source module provides, so the pipeline can treat them alike."""

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
    # Pure: (records of all documents of a dataset, dataset) -> candidate rows, one per record,
    # same index (`normalize/candidates.py`). A later stage's code: the pipeline's registry
    # pairs each source with its normalizer, so that sources import nothing after them.
    normalize: Callable[[pd.DataFrame, str], pd.DataFrame] | None = None
