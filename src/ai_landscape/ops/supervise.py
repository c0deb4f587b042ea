"""`landscape run` under a small supervisor, so that even SIGKILL leaves no process behind.

A plain `landscape run` starts Prefect's temporary API server as a child process. SIGTERM is
handled (`ops.stop`), but SIGKILL cannot be: the killed process runs no code, and the server
was left running every time. So the `landscape` command runs a refresh as a child of a thin
supervisor, with the kernel asked (Linux `PR_SET_PDEATHSIG`) to send the child SIGTERM when
the supervisor dies. Killing the supervisor, however hard, therefore makes the run stop
cleanly, and the run stops its server. The supervisor forwards SIGTERM, SIGINT and SIGHUP,
and exits with the run's code. Elsewhere than Linux the run is not supervised.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

SUPERVISED_ENV = "LANDSCAPE_SUPERVISED"
PR_SET_PDEATHSIG = 1
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def wanted(argv: list[str]) -> bool:
    return (
        sys.platform.startswith("linux")
        and len(argv) > 1
        and argv[1] == "run"
        and os.environ.get(SUPERVISED_ENV) != "1"
    )


def _die_with_parent(parent: int):  # type: ignore[no-untyped-def]
    def arm() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the supervisor died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return arm


def supervise(argv: list[str]) -> int:
    """Run `landscape <argv[1:]>` as a child that dies with this process; its exit code."""
    child = subprocess.Popen(
        [sys.executable, "-m", "ai_landscape.cli", *argv[1:]],
        env={**os.environ, SUPERVISED_ENV: "1"},
        preexec_fn=_die_with_parent(os.getpid()),  # the child dies with us
    )

    def forward(signum, frame):  # type: ignore[no-untyped-def]
        child.send_signal(signum)

    for sig in FORWARDED:
        signal.signal(sig, forward)
    while True:
        try:
            code = child.wait()
            break
        except InterruptedError:  # pragma: no cover - wait() retries by itself
            continue
    return code if code >= 0 else 128 - code
