"""Where things live, and every setting the environment can change, read in one place.

Paths resolve from the project root so the CLI works from any folder. The environment is read
by `current()` only, at call time (not import time), so a variable set by a test or an
operator after import still counts; everything else asks the `Settings` it returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
REPLAY_DIR = DATA_DIR / "replay"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_WAREHOUSE = DATA_DIR / "warehouse"

# Variable names, for messages and documentation.
WAREHOUSE_ENV = "LANDSCAPE_WAREHOUSE"
REPLAY_DIR_ENV = "LANDSCAPE_REPLAY_DIR"
WORK_DIR_ENV = "LANDSCAPE_WORK_DIR"
WAIT_ENV = "LANDSCAPE_WAREHOUSE_WAIT_SECONDS"
DASK_ADDRESS_ENV = "LANDSCAPE_DASK_ADDRESS"
NOTIFY_ENV = "LANDSCAPE_NOTIFY_URL"
DEADLINE_ENV = "LANDSCAPE_RUN_DEADLINE_SECONDS"
TASK_RUNNER_ENV = "LANDSCAPE_TASK_RUNNER"
CENSUS_MEMORY_ENV = "LANDSCAPE_CENSUS_DUCKDB_MEMORY"
UI_URL_ENV = "PREFECT_UI_URL"
DEFAULT_WAIT_SECONDS = 3600.0
# host -> environment variable holding an optional API token for it (never logged or stored).
HOST_TOKENS = {"huggingface.co": "HF_TOKEN"}


@dataclass(frozen=True)
class Settings:
    # A path, or an object-store URL (`s3://bucket/prefix`) as given: Path would mangle it.
    warehouse: str
    replay_dir: Path
    # Local-only files of an object-store warehouse (raw zone, validators, Data Docs).
    work_dir: Path
    warehouse_wait_seconds: float
    dask_address: str | None
    notify_urls: str
    prefect_ui_url: str | None
    tokens: dict[str, str]  # host -> token, for the hosts of HOST_TOKENS that have one
    run_deadline_seconds: float  # 0: the default (ops/deadline.py)
    task_runner: str  # a deployment's task runner (flows/refresh_landscape.py)
    census_duckdb_memory: str  # DuckDB's memory limit while the census is built


def current() -> Settings:
    """The settings the environment gives now; the only reader of `LANDSCAPE_*` variables."""
    env = os.environ
    return Settings(
        warehouse=env.get(WAREHOUSE_ENV) or str(DEFAULT_WAREHOUSE),
        replay_dir=Path(env.get(REPLAY_DIR_ENV) or REPLAY_DIR),
        work_dir=Path(env.get(WORK_DIR_ENV) or DEFAULT_WAREHOUSE / "_work"),
        warehouse_wait_seconds=float(env.get(WAIT_ENV) or DEFAULT_WAIT_SECONDS),
        dask_address=env.get(DASK_ADDRESS_ENV) or None,
        notify_urls=env.get(NOTIFY_ENV, "").strip(),
        prefect_ui_url=env.get(UI_URL_ENV) or None,
        tokens={
            host: env.get(variable, "").strip()
            for host, variable in HOST_TOKENS.items()
            if env.get(variable, "").strip()
        },
        run_deadline_seconds=float(env.get(DEADLINE_ENV) or 0),
        task_runner=env.get(TASK_RUNNER_ENV) or "thread",
        census_duckdb_memory=env.get(CENSUS_MEMORY_ENV) or "1GB",
    )


# Settings Prefect and GX must see before they are imported. Prefect's embedded API needs more
# than its default 20 s to start the first time on a 2-core machine, and neither tool should
# phone home from a data pipeline. Values already in the environment win, so an operator can
# point runs at a real Prefect server.
RUNTIME_DEFAULTS = {
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_EXTRA_LOGGERS": "ai_landscape",
    "GX_ANALYTICS_ENABLED": "false",
}


def configure_runtime() -> None:
    for name, value in RUNTIME_DEFAULTS.items():
        os.environ.setdefault(name, value)
