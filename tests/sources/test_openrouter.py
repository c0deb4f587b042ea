"""OpenRouter fetch, parse and normalize on the two recorded model lists (both schemas)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from ai_landscape.http.client import FetchError, ReplayClient, Response
from ai_landscape.normalize.openrouter import normalize_records
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.openrouter.constants import URLS
from ai_landscape.sources.openrouter.fetch import fetch_pages
from ai_landscape.sources.openrouter.parse import parse_models
from tests.conftest import PROJECT_ROOT
from tests.source_helpers import error_page, one

URL = URLS["models"]
REPLAY = PROJECT_ROOT / "data" / "replay" / "openrouter" / "models.json"  # 2026-08-01
OLDER = PROJECT_ROOT / "data" / "recorded" / "openrouter" / "models_2026-05-15.json"
NEW_BODY = REPLAY.read_bytes()
OLD_BODY = OLDER.read_bytes()
LAST_PAGE_TAIL = b',"total_count":336,"links":{"next":null}}'


def load(body: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = parse_models(body, "models", URL)
    return records, normalize_records(records, "models")


@pytest.mark.parametrize(
    ("body", "models", "aliases", "with_hf_repo", "schema_2026_08"),
    [(NEW_BODY, 336, 10, 152, True), (OLD_BODY, 364, 8, 173, False)],
    ids=["2026-08-01", "2026-05-15"],
)
def test_both_schemas_parse(body, models, aliases, with_hf_repo, schema_2026_08):
    records, c = load(body)
    assert len(records) == len(c) == models
    assert records["_row"].tolist() == list(range(models))
    assert ("alias_target" in records.columns) is schema_2026_08
    assert c["source_key"].is_unique
    assert c["model_id"].isna().sum() == aliases  # the `~` ids and nothing else
    assert (c["hf_repo_ids"].map(len) > 0).sum() == with_hf_repo
    assert c["weights_access"].isna().all()
    assert (c["release_date_field"] == "created (listing date)").all()
    assert c["openrouter_ids"].map(len).eq(1).all()


def test_deepseek_and_anthropic_values():
    records, c = load(NEW_BODY)
    r1 = one(c, "deepseek/deepseek-r1")
    assert r1["model_id"] == "deepseek/deepseek-r1"
    assert r1["name"] == "DeepSeek: R1"
    assert r1["organizations"] == ["deepseek"]
    assert r1["hf_repo_ids"] == ["deepseek-ai/DeepSeek-R1"]
    assert r1["openrouter_ids"] == ["deepseek/deepseek-r1"]
    assert r1["release_date"] == date(2025, 1, 20)  # created 1737381095
    assert r1["weights_access"] is None
    sonnet = one(c, "anthropic/claude-sonnet-4.5")
    assert sonnet["model_id"] == "anthropic/claude-sonnet-4.5"
    assert sonnet["hf_repo_ids"] == []  # hugging_face_id is ""
    assert sonnet["release_date"] == date(2025, 9, 29)
    # A listing date, not a release: GPT-4 came out on 2023-03-14.
    assert one(c, "openai/gpt-4")["release_date"] == date(2023, 5, 28)
    # Every field stays in the record, nested objects whole.
    record = records[records["id"] == "deepseek/deepseek-r1"].iloc[0]
    assert record["context_length"] == 163840
    assert record["canonical_slug"] == "deepseek/deepseek-r1"
    assert record["links"] == {"details": "/api/v1/models/deepseek/deepseek-r1/endpoints"}


def test_aliases_and_variants():
    records, c = load(NEW_BODY)
    alias = one(c, "~anthropic/claude-opus-latest")
    assert pd.isna(alias["model_id"])
    assert alias["organizations"] == ["anthropic"]
    assert alias["openrouter_ids"] == ["~anthropic/claude-opus-latest"]
    target = records.loc[records["id"] == "~anthropic/claude-opus-latest", "alias_target"]
    assert target.tolist() == [{"name": "Claude Opus 5", "slug": "anthropic/claude-opus-5"}]
    free = one(c, "openai/gpt-oss-20b:free")
    assert free["model_id"] == "openai/gpt-oss-20b"
    assert free["hf_repo_ids"] == ["openai/gpt-oss-20b"]
    assert one(c, "qwen/qwen-plus-2025-07-28:thinking")["model_id"] == "qwen/qwen-plus-2025-07-28"


def test_the_same_model_across_vintages():
    new_records, new = load(NEW_BODY)
    old_records, old = load(OLD_BODY)
    kept = set(new["source_key"]) & set(old["source_key"])
    assert (len(kept), len(old) - len(kept), len(new) - len(kept)) == (280, 84, 56)
    assert one(old, "deepseek/deepseek-r1")["release_date"] == date(2025, 1, 20)
    context = [
        r.loc[r["id"] == "deepseek/deepseek-r1", "context_length"].item()
        for r in (old_records, new_records)
    ]
    assert context == [64000, 163840]


def error_of(body: bytes) -> str:
    with pytest.raises(SourceSchemaError) as err:
        parse_models(body, "models", URL)
    return str(err.value)


def test_truncated_json():
    assert NEW_BODY[: len(NEW_BODY) // 2].endswith(b'"context_len')
    assert error_of(NEW_BODY[: len(NEW_BODY) // 2]) == (
        f"{URL}: the JSON stops before the document is complete, after 264359 bytes "
        "(truncated download?)"
    )
    # Cut just after a closing brace, it still ends like JSON; the decoder fails at its end.
    cut = NEW_BODY[: NEW_BODY.index(b"}", len(NEW_BODY) // 2) + 1]
    assert error_of(cut) == (
        f"{URL}: the JSON stops before the document is complete, after 264565 bytes "
        "(truncated download?)"
    )
    # A fault inside the document is named where it is.
    broken = NEW_BODY.replace(b'"created":1737381095,', b'"created":1737381095,,', 1)
    assert error_of(broken) == (
        f"{URL}: not valid JSON (Expecting property name enclosed in double quotes at line 1, "
        "column 468419)"
    )


def test_html_error_page_served_as_200():
    # The error page Python's own http.server sends, as a proxy might pass it on with a 200.
    page = error_page(
        503, "Service Unavailable", "The server cannot process the request due to a high load"
    )
    assert error_of(page) == (
        f"{URL}: an HTML page where JSON was expected (an error page served with status 200?); "
        "its heading: 'Error response'"
    )


def test_schema_drift():
    renamed = NEW_BODY.replace(b'"created":', b'"created_at":')
    assert renamed.count(b'"created_at":') == 336
    assert error_of(renamed) == f"{URL}: required key 'created' is missing from every model"
    dropped = NEW_BODY.replace(b'"created":1737381095,', b"", 1)
    assert len(dropped) == len(NEW_BODY) - len(b'"created":1737381095,')
    assert error_of(dropped) == f"{URL}: model 285 ('deepseek/deepseek-r1') has no 'created'"
    no_data = NEW_BODY.replace(b'{"data":', b'{"models":', 1)
    assert error_of(no_data) == (
        f"{URL}: no 'data' list at the top level (keys: 'models', 'total_count', 'links')"
    )
    assert error_of(b"\n") == f"{URL}: empty body where JSON was expected"


class RecordedPages:
    """An HttpClient answering from given bodies (the client is stubbed, not the payload)."""

    mode = "replay"

    def __init__(self, pages: dict[str, bytes]):
        self.pages = pages
        self.requested: list[str] = []

    def get(self, url: str) -> Response:
        self.requested.append(url)
        if url not in self.pages:
            raise FetchError(url, "not in this test's pages")
        return Response(url, 200, self.pages[url], datetime.now(UTC))


def with_next(link: str) -> bytes:
    """The recorded last page with `links.next` set, as on a page that has a successor."""
    assert NEW_BODY.endswith(LAST_PAGE_TAIL)
    tail = LAST_PAGE_TAIL.replace(b"null", f'"{link}"'.encode())
    return NEW_BODY[: -len(LAST_PAGE_TAIL)] + tail


def test_one_page_lists_are_one_request():
    for body in (NEW_BODY, OLD_BODY):  # `links.next` null; no `links` at all
        client = RecordedPages({URL: body})
        assert [p.body for p in fetch_pages(client, "models", URL)] == [body]
        assert client.requested == [URL]


def test_links_next_is_followed_relative_to_the_page():
    second = "https://openrouter.ai/api/v1/models?offset=500&limit=500"
    client = RecordedPages(
        {URL: with_next("/api/v1/models?offset=500&limit=500"), second: NEW_BODY}
    )
    pages = fetch_pages(client, "models", URL)
    assert client.requested == [URL, second]
    records = [parse_models(p.body, "models", p.url) for p in pages]
    assert [len(r) for r in records] == [336, 336]


def test_links_next_back_to_a_fetched_page_stops():
    client = RecordedPages({URL: with_next("/api/v1/models")})
    with pytest.raises(FetchError) as err:
        fetch_pages(client, "models", URL)
    assert str(err.value) == f"{URL}: links.next points back to a page already fetched"
    assert client.requested == [URL]


def test_pages_are_bounded():
    pages = {URL: with_next("/api/v1/models?offset=1")}
    for n in range(1, 5):
        pages[f"{URL}?offset={n}"] = with_next(f"/api/v1/models?offset={n + 1}")
    client = RecordedPages(pages)
    with pytest.raises(FetchError) as err:
        fetch_pages(client, "models", URL, max_pages=3)
    assert str(err.value) == f"{URL}: links.next still set after 3 pages; stopped"
    assert client.requested == [URL, f"{URL}?offset=1", f"{URL}?offset=2"]


def test_a_bad_page_is_returned_for_the_parser_to_name():
    client = RecordedPages({URL: NEW_BODY[:1000]})
    pages = fetch_pages(client, "models", URL)
    assert [p.body for p in pages] == [NEW_BODY[:1000]]  # kept, so the raw zone stores it
    with pytest.raises(
        SourceSchemaError, match=r"the JSON stops before the document is complete, after 1000 bytes"
    ):
        parse_models(pages[0].body, "models", pages[0].url)


def test_replay_serves_the_2026_08_list():
    pages = fetch_pages(ReplayClient(), "models", URL)
    assert [(p.url, p.body, p.recorded_at) for p in pages] == [
        (URL, NEW_BODY, datetime(2026, 8, 1, tzinfo=UTC))
    ]
