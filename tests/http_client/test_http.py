"""The HTTP layer against a real server on 127.0.0.1 serving recorded bytes."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time
from datetime import UTC, datetime
from typing import ClassVar

import pytest

from ai_landscape import settings
from ai_landscape.http import client as http_client
from ai_landscape.http.cache import HttpCache
from ai_landscape.http.client import FetchError, LiveClient, ReplayClient, Response
from ai_landscape.http.ratelimit import RateLimiter
from ai_landscape.http.rawzone import RawZone, redact_url
from tests.conftest import REPLAY_EPOCH, QuietHandler

BODY = (REPLAY_EPOCH / "frontier_ai_models.csv").read_bytes()


class ScriptedHandler(QuietHandler):
    """Answers each GET with the next scripted (status, headers) pair; then 200 + BODY."""

    script: ClassVar[list[tuple[int, dict]]] = []
    seen: ClassVar[list[float]] = []
    conditions: ClassVar[list[str | None]] = []

    def do_GET(self):
        type(self).seen.append(time.monotonic())
        type(self).conditions.append(self.headers.get("If-None-Match"))
        status, headers = type(self).script.pop(0) if type(self).script else (200, {})
        body = BODY if status == 200 else b"busy"
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(loopback):
    ScriptedHandler.script = []
    ScriptedHandler.seen = []
    ScriptedHandler.conditions = []
    return f"{loopback(ScriptedHandler)}/data/frontier_ai_models.csv"


def test_429_with_retry_after_is_waited_out(server):
    ScriptedHandler.script = [(429, {"Retry-After": "1"})]
    response = LiveClient(backoff_factor=0).get(server)
    assert response.status == 200
    assert response.body == BODY
    first, second = ScriptedHandler.seen
    assert second - first >= 1.0


def test_persistent_5xx_gives_up_with_the_status(server):
    ScriptedHandler.script = [(503, {})] * 4
    with pytest.raises(FetchError) as err:
        LiveClient(retries=3, backoff_factor=0).get(server)
    assert str(err.value) == f"{server}: HTTP 503"
    assert len(ScriptedHandler.seen) == 4  # the first try and three retries


def test_connection_refused_is_a_fetch_error():
    with pytest.raises(FetchError, match=r"^http://127\.0\.0\.1:9/x\.csv: ConnectionError"):
        LiveClient(retries=0).get("http://127.0.0.1:9/x.csv")


def test_user_agent_names_the_project(server):
    class Capture(ScriptedHandler):
        agent = ""

        def do_GET(self):
            type(self).agent = self.headers["User-Agent"]
            super().do_GET()

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        LiveClient().get(f"http://127.0.0.1:{srv.server_port}/x.csv")
    finally:
        srv.shutdown()
    assert Capture.agent.startswith("ai-landscape/")


def test_replay_serves_recorded_bytes_and_refuses_unrecorded_urls():
    replay = ReplayClient()
    response = replay.get("https://epoch.ai/data/frontier_ai_models.csv")
    assert response.body == BODY
    assert response.recorded_at == datetime(2026, 5, 2, tzinfo=UTC)
    with pytest.raises(FetchError) as err:
        replay.get("https://epoch.ai/data/all_ai_models.csv")
    assert "no recorded response" in str(err.value)
    assert str(err.value).startswith("https://epoch.ai/data/all_ai_models.csv: ")


def test_local_paths_and_file_urls_read_the_same_bytes():
    path = REPLAY_EPOCH / "frontier_ai_models.csv"
    assert LiveClient().get(str(path)).body == BODY
    assert ReplayClient().get(path.as_uri()).body == BODY
    with pytest.raises(FetchError, match="cannot read local file"):
        LiveClient().get(str(path.with_name("missing.csv")))


def test_redact_url_drops_credentials():
    assert (
        redact_url("https://user:pw@huggingface.co/api/models?author=x&token=hf_abc&limit=5")
        == "https://huggingface.co/api/models?author=x&token=REDACTED&limit=5"
    )
    assert redact_url("/plain/path.csv") == "/plain/path.csv"


def test_raw_zone_keeps_bytes_by_hash_and_drops_secret_headers(tmp_path):
    response = Response(
        url="https://epoch.ai/data/frontier_ai_models.csv?key=s3cret",
        status=200,
        body=BODY,
        retrieved_at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
        headers={"ETag": '"abc"', "Set-Cookie": "session=1", "Authorization": "Bearer x"},
    )
    zone = RawZone(tmp_path)
    obj = zone.store("epoch", "frontier", response)
    digest = hashlib.sha256(BODY).hexdigest()
    assert obj.locator == f"_raw/epoch/frontier/{digest}.bin"
    assert zone.read(obj.locator) == BODY
    record = json.loads((tmp_path / "_raw/epoch/frontier/20261129T090000000000Z.json").read_text())
    assert record["headers"] == {"ETag": '"abc"'}
    assert record["url"] == "https://epoch.ai/data/frontier_ai_models.csv?key=REDACTED"
    assert record["sha256"] == digest
    assert record["bytes"] == len(BODY)


def test_500_then_200_retries_and_succeeds(server):
    ScriptedHandler.script = [(500, {})]
    response = LiveClient(backoff_factor=0).get(server)
    assert (response.status, response.body) == (200, BODY)
    assert len(ScriptedHandler.seen) == 2


def test_a_hanging_server_times_out_with_a_clear_error():
    class Hang(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(3)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hang)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_port}/slow.csv"
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as err:
            LiveClient(retries=0, timeout=(1.0, 0.5)).get(url)
    finally:
        srv.shutdown()
    assert str(err.value).startswith(f"{url}: ConnectionError: ") or "ReadTimeout" in str(err.value)
    assert "timed out" in str(err.value)
    assert time.monotonic() - started < 2.5


def test_etag_makes_the_next_fetch_conditional_and_304_reuses_stored_bytes(server, tmp_path):
    ScriptedHandler.script = [(200, {"ETag": '"v1"'}), (304, {"ETag": '"v1"'})]
    cache = HttpCache(tmp_path)
    client = LiveClient(backoff_factor=0, cache=cache)
    first = client.get(server)
    RawZone(tmp_path).store("epoch", "frontier", first)
    assert cache.lookup(server).etag == '"v1"'

    second = client.get(server)
    assert second.status == 304
    assert second.body == BODY  # from the raw zone, the server sent none
    assert ScriptedHandler.conditions == [None, '"v1"']


def test_rate_limit_waits_for_the_window_per_host():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter({"huggingface.co": (2, 300.0)}, clock=lambda: now[0], sleep=sleep)
    hf = "https://huggingface.co/api/models?author=Qwen"
    assert [limiter.wait(hf) for _ in range(2)] == [0.0, 0.0]
    now[0] = 10.0
    assert limiter.wait(hf) == 290.0  # the third call waits until the first leaves the window
    assert limiter.wait("https://openrouter.ai/api/v1/models") == 0.0  # no limit there
    assert slept == [290.0]


def test_token_goes_to_its_host_only_and_is_never_stored(server, tmp_path, monkeypatch):
    secret = "hf_" + "x" * 34
    monkeypatch.setenv("HF_TOKEN", secret)
    monkeypatch.setitem(settings.HOST_TOKENS, "127.0.0.1", "HF_TOKEN")

    class Echo(ScriptedHandler):
        authorization = ""

        def do_GET(self):
            type(self).authorization = self.headers.get("Authorization", "")
            self.send_response(200)
            # A careless server echoing the credential must not get it into the raw zone.
            self.send_header("Set-Cookie", f"token={secret}")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        response = LiveClient().get(f"http://127.0.0.1:{srv.server_port}/x.csv?token={secret}")
    finally:
        srv.shutdown()
    assert Echo.authorization == f"Bearer {secret}"
    RawZone(tmp_path).store("huggingface", "models", response)
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.suffix == ".json")
    assert secret.encode() not in stored
    assert http_client._token_header("https://openrouter.ai/api/v1/models") == {}


def test_a_live_client_crosses_to_another_process(server, tmp_path):
    """`--task-runner dask` pickles the client into each worker process."""
    import pickle

    client = LiveClient(cache=HttpCache(tmp_path))
    client.rate_limiter.wait("https://huggingface.co/api/models")  # one call in its window
    copy = pickle.loads(pickle.dumps(client))
    # The lock is new and the window empty: monotonic times mean nothing on another machine.
    assert copy.rate_limiter._sent == {}
    assert copy.rate_limiter._lock is not client.rate_limiter._lock
    assert copy.get(server).body == BODY
