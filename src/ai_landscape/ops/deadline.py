"""A run's overall deadline: past it, a run stops where it is and publishes nothing.

Each fetch has its own total deadline (`http.deadline`); this one bounds the whole run, so a
scheduler never finds yesterday's run still going. It is checked between stages and caps
every fetch's deadline, and the S3 run lock's lease outlasts it, so a live run never loses
its lock. `LANDSCAPE_RUN_DEADLINE_SECONDS` (or `landscape run --deadline`) sets it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ai_landscape import settings
from ai_landscape.settings import DEADLINE_ENV

DEFAULT_RUN_DEADLINE_S = 4 * 3600.0
# The S3 run lock's lease: the longest run plus a margin for the commit.
LEASE_MARGIN_S = 900.0


class DeadlinePassed(RuntimeError):
    """The run used up its overall deadline; nothing was published."""


def run_deadline_seconds(value: float | None = None) -> float:
    seconds = float(value if value is not None else settings.current().run_deadline_seconds)
    return seconds if seconds > 0 else DEFAULT_RUN_DEADLINE_S


def lease_seconds() -> float:
    return run_deadline_seconds() + LEASE_MARGIN_S


@dataclass
class RunDeadline:
    seconds: float
    started: float = field(default_factory=time.monotonic)

    @property
    def at(self) -> float:
        """The deadline on the `time.monotonic` clock."""
        return self.started + self.seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self, stage: str) -> None:
        if self.remaining() <= 0:
            raise DeadlinePassed(
                f"the run's deadline of {self.seconds:.0f} s passed during {stage}; nothing "
                f"was published (raise {DEADLINE_ENV} or --deadline to allow longer runs)"
            )
