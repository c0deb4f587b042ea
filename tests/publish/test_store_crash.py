"""The snapshot store: a publish SIGKILLed mid-way leaves the previous snapshot intact, and
the next publish clears what it left. The child process is _publish_child.py."""

from __future__ import annotations

import pytest

from ai_landscape import schema
from ai_landscape.publish.fingerprint import contract_table
from ai_landscape.publish.store import SnapshotNotFound
from ai_landscape.publish.warehouse import open_store
from tests.store_frames import (
    PUBLISHED,
    T1,
    T2,
    T3,
    expected_id,
    publish,
    run_killed_child,
    tables,
)

# -- 4 & 6. a publish killed mid-way -----------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("kill_at", ["_write_manifest", "_move_into_place"])
def test_sigkill_mid_publish_keeps_previous_snapshot(tmp_path, kill_at):
    root = tmp_path / "warehouse"
    store = open_store(root)
    first = publish(store, tables(2), T1).snapshot_id
    latest_bytes = (root / "_latest").read_bytes()
    first_parts = {name: store.table_path(name, first).read_bytes() for name in PUBLISHED}

    killed_frames = tables(3)
    killed = expected_id(T2, killed_frames)
    proc = run_killed_child(root, tmp_path, killed_frames, T2, kill_at)
    assert proc.returncode == -9, proc.stderr

    # What the crash left: parts moved into place (or still staged), never a manifest.
    assert sorted(p.name for p in (root / "_manifests").iterdir()) == [f"{first}.json"]
    assert not (root / "_manifests" / f"{killed}.json").exists()
    orphans = [store.table_path(name, killed).parent for name in PUBLISHED]
    staged = root / "_staging" / killed
    if kill_at == "_write_manifest":
        assert all(p.is_dir() for p in orphans)
        assert sorted(p.name for p in staged.iterdir()) == []
    else:
        assert not any(p.exists() for p in orphans)
        assert sorted(p.name for p in staged.iterdir()) == sorted(PUBLISHED)

    # Readers still see exactly the first snapshot.
    assert store.latest_id() == first
    assert (root / "_latest").read_bytes() == latest_bytes
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [first]
    assert {n: store.table_path(n, first).read_bytes() for n in PUBLISHED} == first_parts
    for name, frame in tables(2).items():
        assert schema.to_arrow(name, store.read_table(name)).equals(
            contract_table(schema.to_arrow(name, frame))
        )
    with pytest.raises(SnapshotNotFound, match=killed):
        store.resolve(killed)

    # The next publish removes the leftovers and commits.
    result = publish(store, killed_frames, T3)
    assert result.snapshot_id == expected_id(T3, killed_frames)
    assert result.manifest["parent_id"] == first
    assert not any(p.exists() for p in orphans)
    assert not (root / "_staging").exists()
    assert store.latest_id() == result.snapshot_id
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [first, result.snapshot_id]
    assert sorted(p.name for p in (root / "models").iterdir()) == [
        f"snapshot_id={first}",
        f"snapshot_id={result.snapshot_id}",
    ]
    assert len(store.read_table("models")) == 3


@pytest.mark.integration
def test_child_without_kill_step_fails_loudly(tmp_path):
    proc = run_killed_child(tmp_path / "w", tmp_path, tables(), T1, "_no_such_step")
    assert proc.returncode == 1
    assert "no step '_no_such_step'" in proc.stderr
