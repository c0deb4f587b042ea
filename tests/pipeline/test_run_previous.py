"""`Run.previous_tables`: what a run reads of the snapshot before it, and what it keeps."""

from __future__ import annotations

from ai_landscape.pipeline.run import Run
from ai_landscape.publish.warehouse import open_store
from tests.real_frames import SEEN_AT, replay_tables


def test_the_previous_source_records_go_to_resolution_once_and_are_not_held(tmp_path):
    """Resolution reads the previous `source_records` (its sticky ids) and nothing after it;
    `models` stays for the quarantine's removal events. Held by the run until the publish,
    the previous records cost their memory through validation (#17)."""
    warehouse = tmp_path / "warehouse"
    open_store(warehouse).publish(replay_tables(), created_at=SEEN_AT, info={})
    run = Run("replay", ["epoch.frontier"], None, str(warehouse))
    with run.worker:
        run.read_previous()
        given = run.previous_tables()
        assert {name: len(frame) for name, frame in given.items()} == {
            "models": 1355,
            "source_records": 1658,
        }
        assert list(run.previous) == ["models"]
        assert run.previous["models"] is given["models"]
