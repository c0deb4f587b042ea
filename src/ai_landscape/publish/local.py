"""The snapshot store on local disk (or a mounted filesystem).

A publish writes every part into `_staging/<id>/`, fsyncs, renames each table folder into
place, then writes the manifest and `_latest` (the shared algorithm in `store.py`). One writer
at a time: publishes take an exclusive `fcntl` lock on `<root>/_lock` (released when the
process dies), so the cleanup of a crashed publish never deletes a concurrent one's work.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ai_landscape.fsutil import file_sha256, fsync_dir, write_atomic
from ai_landscape.publish.store import (
    COMPRESSION,
    LOCK,
    MANIFESTS,
    PART,
    PARTITION,
    STAGING,
    SnapshotStore,
    part_key,
    table_entry,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no inter-process lock
    fcntl = None  # type: ignore[assignment]


class LocalSnapshotStore(SnapshotStore):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # -- storage primitives ----------------------------------------------------------------

    def _read_text(self, key: str) -> str:
        """Raises FileNotFoundError when `key` does not exist."""
        return (self.root / key).read_text("utf-8")

    def _read_bytes(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def _exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def _list_names(self, folder: str) -> list[str]:
        path = self.root / folder
        return [p.name for p in path.iterdir() if p.is_file()] if path.is_dir() else []

    def _write_text(self, key: str, text: str) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))

    def _read_parquet(self, key: str) -> pa.Table:
        # ParquetFile reads exactly this file: no hive partition column is added.
        return pq.ParquetFile(self.root / key).read()

    def table_path(self, table: str, snapshot_id: str) -> Path:
        return self.root / part_key(table, snapshot_id)

    # -- publishing steps --------------------------------------------------------------------

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def _write_parts(self, snapshot_id: str, tables: dict[str, pa.Table]) -> dict[str, dict]:
        """Stage and rename every part into place; return each table's manifest entry."""
        staging = self.root / STAGING / snapshot_id
        entries = _stage_tables(staging, tables)
        _move_into_place(self, staging, snapshot_id, list(tables))
        return entries

    def _place_file(self, key: str, path: Path) -> None:
        """Move a finished part into place (a crash leaves a partition no manifest lists,
        which the next publish deletes)."""
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        fsync_dir(target.parent)

    def _finish(self) -> None:
        shutil.rmtree(self.root / STAGING, ignore_errors=True)  # under the lock: ours only

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.root / LOCK, "a+b") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the process dies
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _remove_leftovers(self) -> None:
        """Delete what a crashed publish left: staging, unlisted partitions, temp files."""
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        committed = set(self._manifest_ids())
        for table_dir in self.root.iterdir():
            if not table_dir.is_dir() or table_dir.name.startswith(("_", ".")):
                continue
            for part_dir in table_dir.glob(f"{PARTITION}*"):
                if part_dir.name.removeprefix(PARTITION) not in committed:
                    shutil.rmtree(part_dir)
        for folder in (self.root, self.root / MANIFESTS):
            for temp in folder.glob(".*.tmp"):
                temp.unlink(missing_ok=True)


# Each step of a publish is a module-level function so a test can stand in for one (for
# example, kill the process at `_move_into_place` to simulate a crash before the commit).


def _stage_tables(staging: Path, tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Write and fsync every part under `staging`; return the manifest entry of each table."""
    entries = {}
    for name in sorted(tables):  # one table at a time (a lazy mapping)
        table = tables[name]
        folder = staging / name
        folder.mkdir(parents=True)
        path = folder / PART
        with open(path, "wb") as handle:
            pq.write_table(table, handle, compression=COMPRESSION)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_dir(folder)
        entries[name] = table_entry(table, file_sha256(path))
    fsync_dir(staging)
    return entries


def _move_into_place(
    store: LocalSnapshotStore, staging: Path, snapshot_id: str, names: list
) -> None:
    for name in sorted(names):
        target = store.table_path(name, snapshot_id).parent
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
        fsync_dir(target.parent)
