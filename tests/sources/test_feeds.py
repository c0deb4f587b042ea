"""Feeds source: reference table, replay index and parse, on the real recorded feeds."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from ai_landscape.http.client import ReplayClient
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.feeds import constants
from ai_landscape.sources.feeds.parse import parse_feed, read_feed

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REPLAY_FEEDS = PROJECT_ROOT / "data" / "replay" / "feeds"

# Items per recorded document (counted with grep on <item>/<entry> too).
ITEMS = {
    "openai_news": 599,
    "deepmind_blog": 100,
    "qwen_blog": 44,
    "anthropic_news_community": 255,
    "anthropic_news_community_mibuhand": 13,
    "meta_ai_blog_community": 88,
    "meta_ai_blog_community_mibuhand": 5,
    "mistral_news_community": 54,
    "xai_news_community": 39,
    "deepseek_news_community": 14,
    "cohere_blog_community": 50,
    "google_developers_ai_community": 10,
    "openai_research_community": 194,
    "feed_rs_releases": 4,
    "anthropic_research_community_mibuhand": 13,
    "anthropic_engineering_community_mibuhand": 24,
    "claude_blog_community": 223,
    "openai_developer_community": 23,
    "bytedance_seed_blog_community": 9,
    "bytedance_seed_research_community": 18,
    "eleuther_papers_community": 5,
    "perplexity_blog_community": 117,
    "cursor_blog_community": 17,
    "windsurf_blog_community": 181,
    "ollama_blog_community": 56,
    "groq_blog_community": 24,
    "google_ai_blog": 20,
    "microsoft_ai_blog": 10,
    "z_ai_blog_community": 16,
    "minimax_blog_community": 19,
    "moonshot_blog_community": 9,
}
ENTITY_REFUSAL = "refused: XML entity declarations (possible entity-expansion attack)"


def recorded(dataset: str) -> bytes:
    """The replayed bytes of a dataset, found through its URL, as a replay run finds them."""
    return ReplayClient(PROJECT_ROOT / "data" / "replay").get(constants.URLS[dataset]).body


def parse(dataset: str) -> pd.DataFrame:
    return parse_feed(recorded(dataset), dataset, f"{dataset}.xml")


def test_reference_table_builds_urls_in_table_order():
    assert list(constants.URLS) == list(ITEMS)
    assert constants.URLS["qwen_blog"] == "https://qwenlm.github.io/blog/index.xml"
    kinds = pd.Series({d: f.kind for d, f in constants.FEEDS.items()}).value_counts()
    assert kinds.to_dict() == {"community": 25, "official": 5, "github_releases": 1}
    community = [d for d, f in constants.FEEDS.items() if f.kind == "community"]
    assert all("_community" in dataset for dataset in community)


def test_feed_paths_are_distinct_so_a_mirror_host_can_serve_them_all():
    paths = {urlsplit(url).path for url in constants.URLS.values()}
    assert len(paths) == len(constants.URLS)


def test_reference_table_rejects_an_unknown_kind(tmp_path):
    table = tmp_path / "feeds.csv"
    table.write_text(
        "dataset,organization,url,kind,notes\nx,Lab,https://lab.example/rss,blog,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"x: kind 'blog' not in \('official', 'community'"):
        constants.load_feeds(table)


def test_replay_index_maps_every_feed_url_to_a_file():
    index = json.loads((REPLAY_FEEDS / "index.json").read_text(encoding="utf-8"))
    urls = {entry["url"]: entry["path"] for entry in index["responses"]}
    assert set(urls) == set(constants.URLS.values())
    assert sorted(urls.values()) == sorted(p.name for p in REPLAY_FEEDS.glob("*.xml"))


@pytest.mark.parametrize("dataset", list(ITEMS))
def test_every_recorded_feed_parses_to_its_item_count(dataset):
    records = parse(dataset)
    assert len(records) == ITEMS[dataset]
    assert list(records.columns) == ["_row", *constants.RECORD_COLUMNS]
    assert records["_row"].tolist() == list(range(ITEMS[dataset]))
    assert (records["feed"] == dataset).all()
    assert (records["organization"] == constants.FEEDS[dataset].organization).all()
    assert (records["link"] != "").all()
    assert ((records["published"] != "") | (records["updated"] != "")).all()


def test_feed_without_items_is_an_empty_frame():
    body = re.sub(rb"<item>.*?</item>", b"", recorded("qwen_blog"), flags=re.DOTALL)
    records = parse_feed(body, "qwen_blog", "qwen.xml")
    assert records.shape == (0, 1 + len(constants.RECORD_COLUMNS))
    # Every column text, as a feed with items has them (they were `object` when empty).
    assert {str(records[c].dtype) for c in constants.RECORD_COLUMNS} == {"str"}


def test_rss_item_fields_exactly():
    first = parse("openai_news").iloc[0]
    assert first.to_dict() == {
        "_row": 0,
        "feed": "openai_news",
        "feed_title": "OpenAI News",
        "organization": "OpenAI",
        "kind": "official",
        "guid": "https://openai.com/index/outtake",
        "link": "https://openai.com/index/outtake",
        "title": "Resolving digital threats 100x faster with OpenAI",
        # RSS has no update time: none is invented from pubDate.
        "published": "2025-07-24T00:00:00+00:00",
        "updated": "",
        "summary": "Discover how Outtake uses GPT-4.1 and OpenAI o3 to power AI agents that "
        "detect and resolve digital threats 100x faster than before.",
        "author": "",
        "categories": "",
    }


def test_qwen_blog_is_real_rss_with_local_times_and_unescaped_text():
    records = parse("qwen_blog")
    coder = records.iloc[5]
    assert coder["title"] == "Qwen3-Coder: Agentic Coding in the World"
    # 21:00 in Beijing: the feed's own offset is kept, so the date is the lab's date.
    assert coder["published"] == "2025-07-22T21:00:00+08:00"
    assert coder["summary"].startswith(
        "GITHUB HUGGING FACE MODELSCOPE DISCORD Today, we’re announcing Qwen3-Coder,"
    )
    assert records.iloc[14]["title"] == "<think>...</think> QwQ-Max-Preview"
    assert records["published"].str[:4].value_counts().to_dict() == {
        "2024": 21,
        "2025": 20,
        "2022": 3,
    }


def test_guid_falls_back_to_link():
    records = parse("google_developers_ai_community")
    assert (records["guid"] == records["link"]).all()
    assert records.iloc[0]["guid"] == (
        "https://developers.googleblog.com/build-zero-trust-ai-agents-with-googles-agent-development-kit/"
    )


@pytest.mark.parametrize("dataset", list(ITEMS))
def test_guids_are_unique_within_each_feed(dataset):
    assert parse(dataset)["guid"].is_unique


def test_html_summaries_become_text():
    first = parse("google_developers_ai_community").iloc[0]
    assert first["summary"].startswith("Building autonomous AI agents that mutate production")
    assert "<" not in parse("google_developers_ai_community")["summary"].str.cat()


def test_github_releases_atom_entries():
    records = parse("feed_rs_releases")
    assert records[["title", "author", "published", "updated"]].to_dict("records")[:2] == [
        {
            "title": "0.2.0",
            "author": "markpritchard",
            "published": "",
            "updated": "2020-01-19T16:08:59+11:00",
        },
        {
            "title": "0.1.3",
            "author": "kumabook",
            "published": "",
            "updated": "2017-07-07T21:47:46+10:00",
        },
    ]
    assert records.iloc[0]["summary"] == (
        "A range of maintenance work, including: migrate to Rust 2018 edition Align domain "
        "model around Atom spec as it is more modern+complete Switch to event-based parser "
        "(xml-rs) to reduce peak memory usage and use of clone() Expanded test coverage "
        "Documentation improvements"
    )


def test_billion_laughs_is_refused_fast():
    # An attack input built here (not an API payload): ten levels of ten-fold expansion, a
    # billion "lol"s if any parser expanded it.
    levels = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    ]
    attack = (
        b'<?xml version="1.0"?><!DOCTYPE rss [' + b"".join(levels) + b"]>"
        b"<rss><channel><title>&lol9;</title></channel></rss>"
    )
    started = time.perf_counter()
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(attack, "openai_news", "evil.xml")
    assert time.perf_counter() - started < 1.0
    assert str(error.value) == f"evil.xml: {ENTITY_REFUSAL}"


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    attack = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "'
        + secret.as_uri().encode()
        + b'">]><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a &xxe; b</title><link>https://x.example/</link></item></channel></rss>"
    )
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(attack, "openai_news", "xxe.xml")
    assert str(error.value) == f"xxe.xml: {ENTITY_REFUSAL}"
    # Second line of defence: feedparser as parse calls it never reads the entity either.
    assert read_feed(attack).entries[0].title == "a  b"


@pytest.mark.parametrize(
    "page",
    [
        b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>",
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body>Sign in</body></html>',
    ],
    ids=["doctype", "xhtml"],
)
def test_html_error_page_is_refused(page):
    # Error pages built here: a server's failure, not a feed payload.
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(page, "deepmind_blog", "https://deepmind.google/blog/rss.xml")
    assert str(error.value) == (
        "https://deepmind.google/blog/rss.xml: not an RSS or Atom feed: got an HTML page"
    )


def test_truncated_feed():
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(recorded("qwen_blog")[:5000], "qwen_blog", "qwen.xml")
    assert (
        str(error.value) == "qwen.xml: not well-formed XML (no element found: line 64, column 265)"
    )


def test_other_xml_document():
    body = recorded("qwen_blog").replace(b"<rss version", b"<rsx version", 1)
    body = body.replace(b"</rss>", b"</rsx>")
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(body, "qwen_blog", "qwen.xml")
    assert str(error.value) == "qwen.xml: not an RSS or Atom feed (root element <rsx>)"


@pytest.mark.parametrize("body", [b"", b" \r\n\t"], ids=["empty", "whitespace"])
def test_empty_body(body):
    with pytest.raises(SourceSchemaError) as error:
        parse_feed(body, "qwen_blog", "qwen.xml")
    assert str(error.value) == "qwen.xml: empty body, expected an RSS or Atom feed"


def test_unknown_dataset_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown feeds dataset 'nope'"):
        parse_feed(recorded("qwen_blog"), "nope", "qwen.xml")
