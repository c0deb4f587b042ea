"""Secrets in source URLs stay out of Prefect's database.

`landscape run --source-url KEY=https://mirror/data.csv?token=...` passes its URLs to the
flow as parameters, and Prefect stores a flow run's parameters (`.prefect/prefect.db`, or
the server's database). So the CLI hands the flow the redacted URLs and keeps the real ones
in this process; the flow swaps them back just before fetching. A deployment's parameters
come from the server: a secret put there is already stored, so pass tokens in the
environment (`HF_TOKEN`) instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from ai_landscape.http.redact import redact_url

_REAL: dict[str, str] = {}  # redacted URL -> the URL as given, this process only


def redacted_parameters(urls: Mapping[str, str] | None) -> dict[str, str] | None:
    """The URLs as the flow's parameters should carry them; remembers the real ones."""
    if urls is None:
        return None
    out = {}
    for key, url in urls.items():
        safe = redact_url(url)
        if safe != url:
            _REAL[safe] = url
        out[key] = safe
    return out


def unredact(urls: Mapping[str, str] | None) -> dict[str, str] | None:
    """The real URLs behind redacted parameters (unchanged when this process has none)."""
    if urls is None:
        return None
    return {key: _REAL.get(url, url) for key, url in urls.items()}
