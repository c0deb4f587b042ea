"""What of a URL or a response may be written anywhere: logs, the raw zone, the HTTP cache,
manifests, Prefect's database.

URLs lose their user info and the values of secret-looking query parameters. Response
headers are kept only from an allow-list: a drop list let any header a server chose to echo
(`X-Debug-Auth: <token>`) into eleven files; an allow-list keeps only what the pipeline
reads back (validators, pagination, content facts), and the URLs inside those are redacted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

# Query parameters whose name is, or ends in, one of these words (`token`, `api_key`, ...);
# whole words only, so `author=` stays.
_SECRET_PARAM = re.compile(
    r"(?:^|[_-])(token|key|apikey|secret|signature|sig|password|auth)$", re.IGNORECASE
)
# Response headers worth keeping (lower case): conditional requests, pagination, content
# facts, where a redirect led. Everything else a server sends is dropped.
KEPT_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "date",
        "link",
        "x-landscape-final-url",
    }
)
# Kept headers whose value holds URLs, redacted like any URL.
_URL_HEADERS = frozenset({"link", "x-landscape-final-url"})
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def redact_url(url: str) -> str:
    """Drop user info and secret-looking query values so a URL is safe to log and store."""
    parts = urlparse(url)
    if not parts.scheme or parts.scheme == "file":
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    query = urlencode(
        [(k, "REDACTED" if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query)]
    )
    return urlunparse(parts._replace(netloc=netloc, query=query))


def redact_urls_in(text: str) -> str:
    """Every http(s) URL inside `text` (a `Link` header, an error message) redacted."""
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)


def safe_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The allow-listed response headers, URLs in them redacted."""
    kept = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in KEPT_HEADERS:
            kept[name] = redact_urls_in(value) if lower in _URL_HEADERS else value
    return kept
