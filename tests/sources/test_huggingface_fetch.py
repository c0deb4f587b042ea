"""Hugging Face source: fetching the recorded Hub responses, and following the Hub's
`Link` pagination on a loopback server serving real recorded list pages."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from ai_landscape.http.client import FetchError, LiveClient, ReplayClient, Response
from ai_landscape.sources.huggingface import constants as c
from ai_landscape.sources.huggingface.fetch import fetch, list_pages
from ai_landscape.sources.huggingface.parse import parse_json
from tests.conftest import QuietHandler
from tests.hub_files import AI_DAILY, EXPANDED, LIKES7D, TRENDING

# --- fetch ------------------------------------------------------------------------------


def test_replay_serves_trending_and_details_from_the_recorded_urls():
    client = ReplayClient()
    [page] = fetch(client, "trending", c.URLS["trending"])
    assert page.url == "https://huggingface.co/api/models?sort=trendingScore&limit=15"
    assert page.body == TRENDING.read_bytes()
    details = fetch(client, "details", c.URLS["details"])
    assert [r.url for r in details] == [
        f"https://huggingface.co/api/models/{repo}" for repo in c.DETAIL_REPOS
    ]
    assert details[0].headers["ETag"] == 'W/"1144-0lLZ4rZ6fR3gbhjw06/nTxkknu0"'
    assert details[0].recorded_at == datetime(2025, 1, 22, 18, 24, 45, tzinfo=UTC)
    rows = pd.concat([parse_json(r.body, "details", r.url) for r in details])
    assert rows["id"].tolist() == list(c.DETAIL_REPOS)


def test_authors_replay_the_seven_recorded_labs_through_their_next_links():
    pages = fetch(ReplayClient(), "authors", c.URLS["authors"])
    assert pages[0].url == (
        "https://huggingface.co/api/models?author=meta-llama&sort=createdAt&direction=-1"
        "&limit=100&expand[]=author&expand[]=cardData&expand[]=createdAt&expand[]=downloads"
        "&expand[]=gated&expand[]=lastModified&expand[]=library_name&expand[]=likes"
        "&expand[]=pipeline_tag&expand[]=safetensors&expand[]=sha&expand[]=tags"
    )
    # In the reference table's order; the labs never recorded are left out in replay.
    authors = [p.url.split("author=")[1].split("&")[0] for p in pages]
    assert list(dict.fromkeys(authors)) == [
        "meta-llama",
        "deepseek-ai",
        "Qwen",
        "mistralai",
        "google",
        "microsoft",
        "xai-org",
    ]
    assert len(pages) == 24
    assert sum(len(json.loads(p.body)) for p in pages) == 2028
    assert pages[-2].url.endswith("&cursor=replay-page-5")  # microsoft's fifth page


class StubClient:
    """Answers every URL with one real list page and no next link; remembers what was asked."""

    mode = "live"

    def __init__(self, body: bytes):
        self.body = body
        self.urls: list[str] = []

    def get(self, url: str) -> Response:
        self.urls.append(url)
        return Response(url, 200, self.body, datetime.now(UTC))


def test_authors_lists_every_reference_author_once():
    client = StubClient(LIKES7D.read_bytes())
    pages = fetch(client, "authors", c.URLS["authors"])
    assert len(pages) == 34
    asked = [parse_qs(urlsplit(u).query)["author"][0] for u in client.urls]
    assert asked == list(c.reference_authors())
    assert parse_qs(urlsplit(client.urls[0]).query)["expand[]"] == list(c.AUTHOR_LIST_FIELDS)


class PagedHandler(QuietHandler):
    """Serves recorded list pages by `cursor`, each with the Hub's `Link: <...>; rel="next"`."""

    pages: ClassVar[list[bytes]] = []
    links: ClassVar[dict[int, str]] = {}  # page index -> Link target (absolute or relative)

    def do_GET(self):
        index = int(parse_qs(urlsplit(self.path).query).get("cursor", ["0"])[0])
        body = type(self).pages[min(index, len(type(self).pages) - 1)]
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if index in type(self).links:
            self.send_header("Link", f'<{type(self).links[index]}>; rel="next"')
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hub(loopback):
    return loopback(PagedHandler)


def test_pagination_follows_link_headers_to_the_last_page(hub):
    PagedHandler.pages = [p.read_bytes() for p in (TRENDING, LIKES7D, AI_DAILY)]
    PagedHandler.links = {
        0: f"{hub}/api/models?author=x&cursor=1",  # absolute, as the Hub writes it
        1: "/api/models?author=x&cursor=2",  # relative: resolved against the page URL
    }
    pages = list_pages(LiveClient(retries=0), f"{hub}/api/models?author=x")
    assert [p.url for p in pages] == [
        f"{hub}/api/models?author=x",
        f"{hub}/api/models?author=x&cursor=1",
        f"{hub}/api/models?author=x&cursor=2",
    ]
    records = pd.concat([parse_json(p.body, "authors", p.url) for p in pages])
    assert len(records) == 15 + 3 + 3


def test_pagination_stops_at_the_page_bound(hub, caplog):
    PagedHandler.pages = [AI_DAILY.read_bytes()]
    PagedHandler.links = {i: f"{hub}/api/models?cursor={i + 1}" for i in range(10)}
    with caplog.at_level(logging.WARNING):
        pages = list_pages(LiveClient(retries=0), f"{hub}/api/models?cursor=0", max_pages=3)
    assert len(pages) == 3
    assert caplog.messages == [
        f"{hub}/api/models?cursor=0: stopped after 3 pages; later pages were not fetched"
    ]


def test_a_next_link_back_to_a_fetched_page_is_an_error(hub):
    PagedHandler.pages = [AI_DAILY.read_bytes(), LIKES7D.read_bytes()]
    PagedHandler.links = {0: f"{hub}/api/models?cursor=1", 1: f"{hub}/api/models?cursor=0"}
    with pytest.raises(FetchError) as err:
        list_pages(LiveClient(retries=0), f"{hub}/api/models?cursor=0")
    assert str(err.value) == (
        f"{hub}/api/models?cursor=0: the next-page link points back to a page already fetched"
    )


def test_a_local_file_stands_in_for_a_whole_dataset():
    pages = fetch(LiveClient(), "authors", str(EXPANDED))
    assert [p.body for p in pages] == [EXPANDED.read_bytes()]
