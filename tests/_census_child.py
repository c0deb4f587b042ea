"""Run a live census in its own process, so a test can kill it mid-listing (SIGKILL)."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from ai_landscape.http.client import make_client
from ai_landscape.pipeline.census.run import run_census

if __name__ == "__main__":
    url, warehouse = sys.argv[1], Path(sys.argv[2])
    run_census(
        make_client("live", warehouse),
        url,
        warehouse,
        warehouse / "_census" / "child",
        seen_at=datetime.now(UTC),
    )
