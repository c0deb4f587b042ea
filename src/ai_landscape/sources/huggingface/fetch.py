"""Every request a Hugging Face dataset needs, made through the pipeline's `HttpClient`.

Rate limiting (500 anonymous calls per 5 minutes), retries and `HF_TOKEN` belong to the client;
this module only decides which URLs to ask for, and in which order.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urljoin

from requests.utils import parse_header_links

from ai_landscape.http.client import FetchError, HttpClient, Response, is_local
from ai_landscape.sources.huggingface.constants import (
    AUTHOR_PLACEHOLDER,
    DETAIL_REPOS,
    MAX_PAGES,
    PAGINATED_DATASETS,
    REPO_PLACEHOLDER,
    reference_authors,
)

log = logging.getLogger(__name__)


def fetch(client: HttpClient, dataset: str, url: str) -> list[Response]:
    """A URL with a placeholder is a template (one request per author or repo); a URL without
    one, such as a `--source-url` mirror file, is the dataset's single document."""
    if is_local(url):
        return [client.get(url)]
    if AUTHOR_PLACEHOLDER in url:
        urls = [url.replace(AUTHOR_PLACEHOLDER, quote(a, safe="")) for a in reference_authors()]
        return [page for first in recorded(client, urls) for page in list_pages(client, first)]
    if REPO_PLACEHOLDER in url:
        return [
            client.get(url.replace(REPO_PLACEHOLDER, quote(repo_id, safe="/")))
            for repo_id in DETAIL_REPOS
        ]
    if dataset in PAGINATED_DATASETS:
        return list_pages(client, url)
    # trending is the top of a ranking: its first page is the whole point, never the rest.
    return [client.get(url)]


def recorded(client: HttpClient, urls: list[str]) -> list[str]:
    """All of them live; in replay, the listings that were recorded (seven labs' of 2025-10:
    data/replay/huggingface/PROVENANCE.md), the others logged as not recorded."""
    index = getattr(client, "index", None)
    if index is None:
        return urls
    missing = [u for u in urls if u not in index]
    if missing:
        log.info("replay: %d of %d lab listings were never recorded", len(missing), len(urls))
    return [u for u in urls if u in index]


def list_pages(client: HttpClient, url: str, max_pages: int = MAX_PAGES) -> list[Response]:
    """One listing, page after page, as long as the Hub names a next page and the bound allows.

    Reaching the bound keeps the pages fetched (the newest repos, as listings are requested
    newest first) and says so in the log; a next link that points back to a page already
    fetched would loop forever, so it is an error.
    """
    pages: list[Response] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url is not None and len(pages) < max_pages:
        if next_url in seen:
            raise FetchError(next_url, "the next-page link points back to a page already fetched")
        seen.add(next_url)
        response = client.get(next_url)
        pages.append(response)
        next_url = next_page_url(response)
    if next_url is not None:
        log.warning("%s: stopped after %d pages; later pages were not fetched", url, max_pages)
    return pages


def next_page_url(response: Response) -> str | None:
    """The `rel="next"` target of the `Link` header, resolved against the page's own URL."""
    link = next((v for k, v in response.headers.items() if k.lower() == "link"), None)
    if not link:
        return None
    for entry in parse_header_links(link):
        if entry.get("rel") == "next" and entry.get("url"):
            return urljoin(response.url, entry["url"])
    return None
