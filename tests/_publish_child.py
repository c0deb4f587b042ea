"""Publish in a child process that SIGKILLs itself at one step of the publish.

Used by tests/publish/test_store_crash.py and tests/publish/test_s3.py, through
`tests.store_frames.run_killed_child`, to simulate a crash. The test seam is the store's
module-level step functions (`_stage_tables`, `_move_into_place`, `_write_manifest`,
`_point_latest`): this script replaces the one named on the command line with a function that
kills the process, so the steps before it have run and the ones after it never do. No
production code checks for a test.

usage: python _publish_child.py ROOT INPUT_PICKLE CREATED_AT_ISO KILL_AT
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from datetime import datetime

from ai_landscape.publish import local, store
from ai_landscape.publish.warehouse import open_store


def _die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    root, input_pickle, created_at, kill_at = sys.argv[1:5]
    with open(input_pickle, "rb") as handle:
        payload = pickle.load(handle)
    module = next((m for m in (store, local) if callable(getattr(m, kill_at, None))), None)
    if module is None:
        raise SystemExit(f"no step {kill_at!r} in {store.__name__} or {local.__name__}")
    setattr(module, kill_at, _die)
    open_store(root).publish(
        payload["tables"],
        created_at=datetime.fromisoformat(created_at),
        info=payload["info"],
        volatile_columns=payload["volatile_columns"],
    )
    return 3  # reached only if the kill did not happen


if __name__ == "__main__":
    sys.exit(main())
