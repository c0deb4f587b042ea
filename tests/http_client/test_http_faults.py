"""Faults of #14 against loopback servers, at production settings (nothing patched).

Each test states the limit it checks as the production constant it reads, never a value of
its own: a fetch's total deadline (FETCH_DEADLINE_S), the body limit (MAX_BODY_BYTES) and
the run's byte budget (MAX_RUN_BYTES).
"""

from __future__ import annotations

import json
import threading
import time
import tracemalloc

import pytest

from ai_landscape.http import client as http_client
from ai_landscape.http.cache import HttpCache
from ai_landscape.http.client import MAX_BODY_BYTES, FetchError, LiveClient
from ai_landscape.http.rawzone import RawZone
from tests import fault_servers as fs

# The production values these tests hold the code to (asserted against the code below).
FETCH_DEADLINE_S = 120.0
MAX_RUN_BYTES = 512 * fs.MIB


def test_the_limits_are_the_documented_production_ones():
    assert http_client.FETCH_DEADLINE_S == FETCH_DEADLINE_S
    assert http_client.MAX_RUN_BYTES == MAX_RUN_BYTES
    assert MAX_BODY_BYTES == 200 * fs.MIB


def fetch_in_thread(client: LiveClient, url: str) -> dict:
    """Fetch from a daemon thread, so that a fetch that never ends cannot hang the suite."""
    outcome: dict = {}

    def run():
        started = time.monotonic()
        try:
            outcome["response"] = client.get(url)
        except FetchError as exc:
            outcome["error"] = str(exc)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def test_drip_fed_body_and_headers_give_up_at_the_total_deadline():
    """One byte a second resets a read timeout forever; the total deadline still ends it."""
    with fs.serve(fs.DripBody) as body_url, fs.serve(fs.DripHeaders) as head_url:
        body = fetch_in_thread(LiveClient(), f"{body_url}/frontier_ai_models.csv")
        head = fetch_in_thread(LiveClient(), f"{head_url}/frontier_ai_models.csv")
        for outcome in (body, head):
            outcome["thread"].join(FETCH_DEADLINE_S + 30)
        assert not body["thread"].is_alive(), "a drip-fed body kept the fetch alive"
        assert not head["thread"].is_alive(), "drip-fed headers kept the fetch alive"
    for url, outcome in ((body_url, body), (head_url, head)):
        assert outcome["error"] == (
            f"{url}/frontier_ai_models.csv: no complete response within 120 s "
            "(the total deadline of a fetch)"
        )
        assert FETCH_DEADLINE_S <= outcome["seconds"] < FETCH_DEADLINE_S + 5
    assert 100 <= fs.DripBody.sent <= 125  # it was reading, a byte a second, until cut


def test_a_declared_oversize_body_is_refused_before_it_is_read():
    with fs.serve(fs.DeclaredHuge) as url:
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            LiveClient().get(f"{url}/big.csv")
        seconds = time.monotonic() - started
    assert str(err.value) == (
        f"{url}/big.csv: body larger than {MAX_BODY_BYTES} bytes "
        f"(Content-Length says {300 * fs.MIB})"
    )
    assert seconds < 5
    assert fs.DeclaredHuge.sent < 64 * fs.MIB  # not the 200 MiB read before refusing


def test_an_undeclared_oversize_body_stops_at_the_limit_with_bounded_memory():
    tracemalloc.start()
    try:
        with fs.serve(fs.UndeclaredHuge) as url, pytest.raises(FetchError) as err:
            LiveClient().get(f"{url}/big.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(err.value) == f"{url}/big.csv: body larger than {MAX_BODY_BYTES} bytes"
    assert peak < MAX_BODY_BYTES + 32 * fs.MIB  # the limit and one chunk, not the 300 MiB


def test_a_gzip_bomb_stops_at_the_limit_with_bounded_memory():
    fs.GzipBomb.bomb = fs.gzip_bomb(1024)
    tracemalloc.start()
    try:
        with fs.serve(fs.GzipBomb) as url, pytest.raises(FetchError) as err:
            LiveClient().get(f"{url}/bomb.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(err.value) == f"{url}/bomb.json: body larger than {MAX_BODY_BYTES} bytes"
    assert len(fs.GzipBomb.bomb) < 2 * fs.MIB  # what came over the wire
    assert peak < MAX_BODY_BYTES + 64 * fs.MIB  # not the 1 GiB it inflates to


def test_the_run_budget_caps_the_sum_of_bodies():
    """Each 150 MiB body is under the per-body limit; the fourth passes the run's budget."""
    client = LiveClient()
    with fs.serve(fs.Large) as url:
        sizes = [len(client.get(f"{url}/part-{i}.bin").body) for i in range(3)]
        with pytest.raises(FetchError) as err:
            client.get(f"{url}/part-3.bin")
    assert sizes == [150 * fs.MIB] * 3
    assert str(err.value).startswith(
        f"{url}/part-3.bin: this run has already read {450 * fs.MIB} bytes; "
    )
    assert str(err.value).endswith(f"would pass its limit of {MAX_RUN_BYTES} bytes")
    assert client.budget.used == 450 * fs.MIB  # the refused body is not counted
    assert fs.Large.sent < 4 * 150 * fs.MIB  # and it was not read


def test_a_long_retry_after_is_reported_at_once_not_waited():
    """A pause longer than the fetch can wait is not slept through to be refused again: the
    429 is the outcome, at once, and says what the server asked for."""
    with fs.serve(fs.LongRetryAfter) as url:
        outcome = fetch_in_thread(LiveClient(), f"{url}/models")
        outcome["thread"].join(FETCH_DEADLINE_S + 30)
    assert not outcome["thread"].is_alive()
    assert outcome["seconds"] < 10  # one request, no sleep (it took 120 s before)
    assert outcome["error"] == (
        f"{url}/models: HTTP 429 (the server asks for a pause of 3600 s; not retried sooner)"
    )
    assert fs.LongRetryAfter.requests == 1


def test_echoed_secrets_and_url_tokens_reach_no_stored_file(tmp_path):
    """Headers are kept from an allow-list and the cache stores the redacted URL."""
    client = LiveClient(cache=HttpCache(tmp_path))
    with fs.serve(fs.EchoesSecret) as url:
        response = client.get(f"{url}/frontier_ai_models.csv?token={fs.SECRET}")
    RawZone(tmp_path).store("epoch", "frontier", response)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json"))
    assert len(written) == 2  # the fetch's record and its cache entry
    assert any(w.startswith("_raw/_http_cache/") for w in written)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert fs.SECRET.encode() not in path.read_bytes(), path
    (entry,) = [json.loads(p.read_text()) for p in tmp_path.glob("_raw/_http_cache/*.json")]
    assert entry["url"] == f"{url}/frontier_ai_models.csv?token=REDACTED"
    assert sorted(entry["headers"]) == ["Content-Length", "Date", "ETag"]  # the allow-list
    # The next fetch of the same URL still finds its validators.
    assert client.cache.lookup(f"{url}/frontier_ai_models.csv?token={fs.SECRET}").etag == '"v1"'
