"""Settings Prefect and GX must see before they are imported, for runs on this machine.

Prefect's embedded API needs more than its default 20 s to start the first time on a 2-core
machine, and neither tool should phone home from a data pipeline. Values already in the
environment win, so an operator can point runs at a real Prefect server.
"""

from __future__ import annotations

import os

from ai_landscape.config import PROJECT_ROOT

DEFAULTS = {
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_EXTRA_LOGGERS": "ai_landscape",
    "GX_ANALYTICS_ENABLED": "false",
}


def configure() -> None:
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
