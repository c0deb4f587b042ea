"""What the run locks (`runlock`, `objectlock`) share: the lock's name, who holds it, and
the message a run that waited too long gets."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

LOCK_NAME = "_run_lock"
POLL_SECONDS = 0.5


class WarehouseBusy(RuntimeError):
    """Another run held the warehouse for longer than we would wait; nothing was published."""


def holder_info(lease_seconds: float | None = None) -> dict:
    now = datetime.now(UTC)
    info = {"pid": os.getpid(), "host": socket.gethostname(), "since": now.isoformat()}
    if lease_seconds is not None:
        info["expires_at"] = (now + timedelta(seconds=lease_seconds)).isoformat()
    return info


def lock_busy_message(warehouse: str, holder: str, waited: float) -> str:
    return (
        f"warehouse {warehouse} is busy: another run ({holder}) holds its run lock and did not "
        f"release it within {waited:.0f} s; nothing was published. Retry later, or wait longer "
        "by raising LANDSCAPE_WAREHOUSE_WAIT_SECONDS."
    )
