"""How a run ends early: its deadline passes, or the process is told to stop (SIGTERM).

Either way nothing is published (the commit is the last step, and the way out of the block
skips it), the warehouse's lock is released on the way out, and every fetch still in flight
is ended at once so its worker thread finishes and the process can exit. The flow reports a
passed deadline as a failed run; SIGTERM is Prefect's `TerminationSignal` (its engine turns
the signal into that exception while a flow runs), which the CLI turns into exit code 143.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator

from ai_landscape.http import deadline as fetch_deadline
from ai_landscape.ops.deadline import DeadlinePassed, RunDeadline

log = logging.getLogger(__name__)
EXIT_TERMINATED = 143  # 128 + SIGTERM, what shells and supervisors expect


@contextlib.contextmanager
def stopped_cleanly(summary, deadline: RunDeadline, failed: Callable) -> Iterator[None]:
    """`failed(why)` builds the flow's RunFailed for a passed deadline."""
    fetch_deadline.resume()
    try:
        yield
    except DeadlinePassed as exc:
        summary.errors.append(str(exc))
        raise failed("the run's deadline passed; nothing published") from None
    except Exception:
        raise  # a failed run: the process lives on, and so may its other fetches
    except BaseException:
        # SIGTERM (TerminationSignal) or Ctrl-C: the process is stopping. End the fetches
        # still running so their threads finish, and let the signal go on.
        ended = fetch_deadline.abort_all()
        if ended:
            log.warning("stopping: ended %d fetch(es) in progress; nothing published", ended)
        raise


class Terminated(Exception):
    """The run was stopped by SIGTERM; nothing was published."""


@contextlib.contextmanager
def on_sigterm() -> Iterator[None]:
    """SIGTERM raises Prefect's `TerminationSignal` for the whole block, not only while the
    flow engine has its own handler installed (it has none while the temporary API starts or
    after the flow returns); the signal ends the block as `Terminated`. An exception, not the
    default action, so that `atexit` still stops Prefect's temporary server."""
    from prefect.exceptions import TerminationSignal

    def raise_termination(signum, frame):  # type: ignore[no-untyped-def]
        raise TerminationSignal(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_termination)
    try:
        yield
    except TerminationSignal:
        raise Terminated("terminated by SIGTERM") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
