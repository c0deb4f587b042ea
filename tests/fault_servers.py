"""Misbehaving HTTP servers on 127.0.0.1, shared by the fault tests and `bench/faults.py`.

Each handler is one fault seen in #14 or before it. Bodies that must parse are the real
recorded Epoch export (`data/replay/epoch/frontier_ai_models.csv`); filler is zeros. Every
loop is bounded in bytes and time, so a server never outlives its test by much, and each
handler counts what it managed to send (`sent`), to show when a client stopped reading.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from tests.conftest import REPLAY_EPOCH

BODY = (REPLAY_EPOCH / "frontier_ai_models.csv").read_bytes()
MIB = 1024 * 1024
DRIP_LIMIT_S = 400  # a drip stops by itself after this long
SECRET = "hf_" + "s3cr3t" * 6  # a token a careless server echoes back


class Fault(http.server.BaseHTTPRequestHandler):
    """Base: quiet, and counts the bytes of body it sent (per class)."""

    sent: ClassVar[int] = 0
    requests: ClassVar[int] = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        type(self).sent += len(data)
        return True

    def do_GET(self):
        type(self).requests += 1
        self.fault()

    def fault(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class DripBody(Fault):
    """Headers at once, then the body one byte a second (a read timeout never fires)."""

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        started = time.monotonic()
        for i in range(len(BODY)):
            if time.monotonic() - started > DRIP_LIMIT_S or not self.send_body(BODY[i : i + 1]):
                return
            time.sleep(1.0)


class DripHeaders(Fault):
    """The status line, then its headers one byte a second."""

    def fault(self):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nX-Padding: " + b"x" * 4000
        started = time.monotonic()
        for i in range(len(head)):
            if time.monotonic() - started > DRIP_LIMIT_S:
                return
            try:
                self.wfile.write(head[i : i + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(1.0)


class Silent(Fault):
    """Accepts the request and never answers."""

    def fault(self):
        time.sleep(DRIP_LIMIT_S)


class DeclaredHuge(Fault):
    """Says 300 MiB up front, then sends zeros as fast as it can."""

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Length", str(300 * MIB))
        self.end_headers()
        block = b"\0" * MIB
        for _ in range(300):
            if not self.send_body(block):
                return


class UndeclaredHuge(Fault):
    """300 MiB of zeros with no Content-Length (until the connection closes)."""

    def fault(self):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        block = b"\0" * MIB
        for _ in range(300):
            if not self.send_body(block):
                return
        self.close_connection = True


def gzip_bomb(mebibytes: int) -> bytes:
    """`mebibytes` of zeros, gzip-compressed (about 1/1000 of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * MIB
    parts = [packer.compress(block) for _ in range(mebibytes)]
    return b"".join([*parts, packer.flush()])


class GzipBomb(Fault):
    """1 GiB of zeros as a 1 MB gzip body with Content-Encoding: gzip."""

    bomb: ClassVar[bytes | None] = None

    def fault(self):
        if GzipBomb.bomb is None:
            GzipBomb.bomb = gzip_bomb(1024)
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(GzipBomb.bomb)))
        self.end_headers()
        self.send_body(GzipBomb.bomb)


class Large(Fault):
    """150 MiB of zeros, declared: under the per-body limit, so only a run budget stops it."""

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Length", str(150 * MIB))
        self.end_headers()
        block = b"\0" * MIB
        for _ in range(150):
            if not self.send_body(block):
                return


class Truncated(Fault):
    """Declares the whole export, sends half, closes."""

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.send_body(BODY[: len(BODY) // 2])
        self.close_connection = True


class AlwaysError(Fault):
    """500 on every try."""

    def fault(self):
        self.send_response(500)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.send_body(b"busy")


class LongRetryAfter(Fault):
    """429 asking for an hour's pause, every time."""

    def fault(self):
        self.send_response(429)
        self.send_header("Retry-After", "3600")
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.send_body(b"slow")


class HtmlAsCsv(Fault):
    """A 200 with an HTML error page where the CSV should be."""

    PAGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>"

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.PAGE)))
        self.end_headers()
        self.send_body(self.PAGE)


class EchoesSecret(Fault):
    """The real export, with validators, and the token echoed in a debug header."""

    def fault(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("ETag", '"v1"')
        self.send_header("X-Debug-Auth", f"token={SECRET}")
        self.send_header("Set-Cookie", f"session={SECRET}")
        self.end_headers()
        self.send_body(BODY)


@contextlib.contextmanager
def serve(handler: type[Fault]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) from daemon threads; yields the base URL."""
    handler.sent = 0
    handler.requests = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def start_live_run(work: Path, url: str, *, capture: bool = True) -> subprocess.Popen:
    """`landscape run --mode live` of Epoch's frontier export from `url`, with its own Prefect
    home and no server URL (it starts its own temporary server, as a plain run does), in its
    own process group so that a test can always clean up after it."""
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
    env.pop("PREFECT_API_URL", None)
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [
            str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "landscape"),
            *("run", "--mode", "live", "--sources", "epoch.frontier"),
            *("--source-url", f"epoch.frontier={url}", "--warehouse", str(work / "warehouse")),
        ],
        cwd=work,
        env=env,
        stdout=out,
        stderr=out,
        text=True,
        start_new_session=True,
    )
