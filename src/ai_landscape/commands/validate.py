"""`landscape validate`: would today's suites let a published snapshot through unchanged?

Exit codes: 0 the snapshot passes as it is; 1 a blocking failure, or rows the gate would now
quarantine (the snapshot holds rows today's suites reject), or a part whose bytes differ from
the manifest's sha256 (named); 2 no such snapshot. Warnings
never change the exit code.
"""

from __future__ import annotations

import os

from ai_landscape.commands.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ai_landscape.publish.integrity import snapshot_problems
from ai_landscape.publish.store import SnapshotNotFound
from ai_landscape.publish.warehouse import open_store
from ai_landscape.validate.recheck import recheck_snapshot


def validate_snapshot(
    snapshot: str = "latest",
    warehouse: str | os.PathLike | None = None,
    *,
    today: str | None = None,
) -> tuple[int, str]:
    """(exit code, text to print) for `landscape validate --snapshot ID --warehouse PATH`."""
    store = open_store(warehouse)
    try:
        snapshot_id = store.resolve(snapshot)
    except SnapshotNotFound as exc:
        return EXIT_USAGE, f"error: {exc}"
    problems = snapshot_problems(store, snapshot_id)
    if problems:
        # A part that is not what was published cannot be validated as that snapshot.
        return EXIT_FAILED, "\n".join(
            [f"snapshot {snapshot_id} FAILS its integrity check:", *(f"  {p}" for p in problems)]
        )
    result = recheck_snapshot(store, snapshot_id, today=today)
    clean = result.publishable and not result.quarantined
    lines = [
        f"snapshot {snapshot_id} against the current suites: " + ("passes" if clean else "FAILS"),
        *(f"  {report.describe().splitlines()[0]}" for report in result.reports),
        *(f"  BLOCKING {m}" for m in result.blocking),
        *(
            f"  {table}: {len(rows)} rows would be quarantined: "
            + "; ".join(sorted(set(rows["_quarantined_by"])))
            for table, rows in result.quarantined.items()
        ),
        *(f"  warning {m}" for m in result.warnings),
    ]
    return (EXIT_OK if clean else EXIT_FAILED), "\n".join(lines)
