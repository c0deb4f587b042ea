"""Every page of OpenRouter's model list, following `links.next` (the 2026-08 schema).

OpenRouter documents `links.next` as the URL of the next page or null on the last one, and
writes it as a path (`/api/v1/models?offset=500&limit=500`): it is resolved against the page
it came from, so a mirror given with `--source-url` keeps serving the following pages.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from ai_landscape.http.client import FetchError, HttpClient, Response
from ai_landscape.sources.openrouter.constants import MAX_PAGES


def fetch_pages(
    client: HttpClient, dataset: str, url: str, *, max_pages: int = MAX_PAGES
) -> list[Response]:
    """The first page and each page its `links.next` names, at most `max_pages` of them.

    A page that is not the JSON expected ends the walk rather than raising here: it is still
    returned, so the raw zone keeps its bytes and the parser names what is wrong with it.
    """
    pages = [client.get(url)]
    fetched = {url}
    while (link := next_link(pages[-1].body)) is not None:
        next_url = urljoin(pages[-1].url, link)
        if next_url in fetched:
            raise FetchError(next_url, "links.next points back to a page already fetched")
        if len(pages) >= max_pages:
            raise FetchError(url, f"links.next still set after {max_pages} pages; stopped")
        fetched.add(next_url)
        pages.append(client.get(next_url))
    return pages


def next_link(body: bytes) -> str | None:
    """`links.next` of a page, or None: last page, older schema, or not a JSON object."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    links = document.get("links") if isinstance(document, dict) else None
    link = links.get("next") if isinstance(links, dict) else None
    return link if isinstance(link, str) and link else None
