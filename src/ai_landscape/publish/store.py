"""The versioned parquet snapshot store.

Layout, table first so that one glob (`<root>/models/*/*.parquet`) reads all history:

    <root>/<table>/snapshot_id=<id>/part-0.parquet
    <root>/_manifests/<id>.json          a snapshot exists only if its manifest does
    <root>/_latest                       the id readers get for "latest"
    <root>/_staging/<id>/<table>/...     parts being written (never read)

A publish writes every part into staging, fsyncs, renames each table folder into place,
then writes the manifest (the commit point) and finally `_latest`. A crash before the
manifest leaves folders that no manifest lists; the next publish deletes them so that
globbing readers do not pick them up. One writer at a time: publishes take an exclusive
lock on `<root>/_lock`, so the cleanup never deletes a concurrent publish's work.

A root that is a URL (`s3://bucket/prefix`) opens an object-store variant with the same API
(`ai_landscape.publish.filesystem`): no rename there, so parts go straight to their final
keys and the manifest alone commits; its lock is the Prefect global concurrency limit, since
`fcntl` only locks one machine's files. Reads and the commit steps below go through a few
primitives (`_read_text`, `_exists`, `_list_names`, `_write_text`, `_read_parquet`,
`_write_parts`) that the variant overrides.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ai_landscape import schema
from ai_landscape.fsutil import fsync_dir, write_atomic
from ai_landscape.publish.fingerprint import content_fingerprint, contract_table
from ai_landscape.publish.integrity import verified_table

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no inter-process lock
    fcntl = None  # type: ignore[assignment]

PART = "part-0.parquet"
COMPRESSION = "zstd"
MANIFESTS = "_manifests"
STAGING = "_staging"
LATEST = "_latest"
LOCK = "_lock"
PARTITION = "snapshot_id="
ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
RESERVED_KEYS = ("snapshot_id", "created_at", "parent_id", "content_sha256", "tables")


class SnapshotNotFound(LookupError):
    """No snapshot matches the requested id, prefix or date."""


class TableNotFound(LookupError):
    """The snapshot exists but does not contain the requested table."""


class ParentMoved(RuntimeError):
    """Another snapshot became the latest after this publish's run read its parent."""


_ANY_PARENT = object()  # publish() without `expected_parent`: on top of whatever is latest


@dataclass(frozen=True)
class PublishResult:
    snapshot_id: str | None
    unchanged: bool
    latest_id: str | None
    manifest: dict | None


def is_object_url(root: str) -> bool:
    """`s3://bucket/prefix` and other URLs pyarrow opens; plain paths and file:// are local."""
    scheme, sep, _ = root.partition("://")
    return bool(sep) and scheme.isalnum() and scheme.lower() != "file"


def part_key(table: str, snapshot_id: str) -> str:
    """Where a table's part lives, relative to the root (the manifest records this)."""
    return f"{table}/{PARTITION}{snapshot_id}/{PART}"


def manifest_key(snapshot_id: str) -> str:
    return f"{MANIFESTS}/{snapshot_id}.json"


def table_entry(table: pa.Table, sha256: str) -> dict:
    """A table's manifest entry, given the sha256 of its part's bytes."""
    return {
        "rows": table.num_rows,
        "sha256": sha256,
        "schema": [{"name": f.name, "type": str(f.type)} for f in table.schema],
    }


class SnapshotStore:
    def __new__(cls, root: str | os.PathLike | None = None, *args, **kwargs):
        if cls is SnapshotStore and isinstance(root, str) and is_object_url(root):
            from ai_landscape.publish.filesystem import ObjectSnapshotStore

            return super().__new__(ObjectSnapshotStore)
        return super().__new__(cls)

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # -- storage primitives (overridden by the object-store variant) ----------------------

    def _read_text(self, key: str) -> str:
        """Raises FileNotFoundError when `key` does not exist."""
        return (self.root / key).read_text("utf-8")

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

    def _read_bytes(self, key: str) -> bytes:
        """Raises FileNotFoundError when `key` does not exist."""
        return (self.root / key).read_bytes()

    # -- reading -------------------------------------------------------------------------

    def _manifest_ids(self) -> list[str]:
        stems = (
            n.removesuffix(".json") for n in self._list_names(MANIFESTS) if n.endswith(".json")
        )
        return [stem for stem in stems if ID_RE.match(stem)]

    def _load_manifest(self, snapshot_id: str) -> dict:
        return json.loads(self._read_text(manifest_key(snapshot_id)))

    def list_snapshots(self) -> list[dict]:
        manifests = [self._load_manifest(i) for i in self._manifest_ids()]
        return sorted(
            manifests, key=lambda m: (datetime.fromisoformat(m["created_at"]), m["snapshot_id"])
        )

    def latest_id(self) -> str | None:
        # `_latest` wins when valid so that it can also point back (a rollback); without it
        # (lost, or a crash between manifest and pointer) the newest committed snapshot is.
        try:
            pointed = self._read_text(LATEST).strip()
        except FileNotFoundError:
            pointed = ""
        if ID_RE.match(pointed) and self._exists(manifest_key(pointed)):
            return pointed
        snapshots = self.list_snapshots()
        return snapshots[-1]["snapshot_id"] if snapshots else None

    def resolve(self, snapshot: str) -> str:
        if snapshot == "latest":
            latest = self.latest_id()
            if latest is None:
                raise SnapshotNotFound(f"no snapshot in {self.root}")
            return latest
        ids = sorted(self._manifest_ids())
        if snapshot in ids:
            return snapshot
        date = DATE_RE.match(snapshot)
        if date:
            day = [i for i in ids if i.startswith("".join(date.groups()) + "T")]
            if day:
                return day[-1]
            raise SnapshotNotFound(f"no snapshot on {snapshot} in {self.root}")
        matches = [i for i in ids if snapshot and i.startswith(snapshot)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise SnapshotNotFound(f"snapshot prefix {snapshot!r} is ambiguous: {matches}")
        raise SnapshotNotFound(f"snapshot {snapshot!r} not found in {self.root}")

    def manifest(self, snapshot_id: str) -> dict:
        return self._load_manifest(self.resolve(snapshot_id))

    def table_path(self, table: str, snapshot_id: str) -> Path:
        return self.root / part_key(table, snapshot_id)

    def read_table(self, table: str, snapshot: str = "latest") -> pd.DataFrame:
        snapshot_id = self.resolve(snapshot)
        tables = self._load_manifest(snapshot_id)["tables"]
        if table not in tables:
            raise TableNotFound(f"snapshot {snapshot_id} has no table {table!r}: {sorted(tables)}")
        # Checked against the manifest's sha256: a part changed after publishing is an error.
        return verified_table(self, snapshot_id, table, tables[table]).to_pandas()

    # -- publishing ----------------------------------------------------------------------

    def publish(
        self,
        tables: dict[str, pd.DataFrame],
        *,
        created_at: datetime,
        info: dict,
        volatile_columns: dict[str, list[str]] | None = None,
        expected_parent: str | object | None = _ANY_PARENT,
    ) -> PublishResult:
        """`expected_parent`: the snapshot the tables were computed against (their events,
        row-count bands, sticky ids). If another snapshot is the latest by the time of the
        commit, the publish refuses with ParentMoved and writes nothing: a run never
        rebases silently, and never publishes on top of a parent it did not compare with."""
        if not tables:
            raise ValueError("publish needs at least one table")
        unknown = sorted(set(tables) - set(schema.TABLES))
        if unknown:
            raise ValueError(
                f"tables not in the contract: {unknown}; known {sorted(schema.TABLES)}"
            )
        if created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        clash = sorted(set(info) & set(RESERVED_KEYS))
        if clash:
            raise ValueError(f"info keys {clash} are reserved for the manifest")
        json.dumps(info, allow_nan=False)  # fail before writing anything, not at the commit
        created_at = created_at.astimezone(UTC)
        arrow = {name: contract_table(schema.to_arrow(name, f)) for name, f in tables.items()}
        fingerprint = content_fingerprint(arrow, volatile_columns)

        self._prepare()
        with self._lock():
            self._remove_leftovers()
            parent_id = self.latest_id()
            if expected_parent is not _ANY_PARENT and parent_id != expected_parent:
                raise ParentMoved(
                    f"{self.root}: the latest snapshot is now {parent_id}, not {expected_parent} "
                    "that this run read and compared with; nothing was published (run again to "
                    "start from the new latest)"
                )
            if parent_id and self._load_manifest(parent_id)["content_sha256"] == fingerprint:
                return PublishResult(None, True, parent_id, None)
            snapshot_id = f"{created_at:%Y%m%dT%H%M%SZ}-{fingerprint[:6]}"
            if self._exists(manifest_key(snapshot_id)):
                raise FileExistsError(f"snapshot {snapshot_id} already exists")

            entries = self._write_parts(snapshot_id, arrow)
            manifest = {
                **info,
                "snapshot_id": snapshot_id,
                "created_at": created_at.isoformat(),
                "parent_id": parent_id,
                "content_sha256": fingerprint,
                "tables": {
                    name: {**entry, "path": part_key(name, snapshot_id)}
                    for name, entry in entries.items()
                },
            }
            _write_manifest(self, manifest)
            _point_latest(self, snapshot_id)
            self._finish()
        return PublishResult(snapshot_id, False, snapshot_id, manifest)

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def _write_parts(self, snapshot_id: str, tables: dict[str, pa.Table]) -> dict[str, dict]:
        """Stage and rename every part into place; return each table's manifest entry."""
        staging = self.root / STAGING / snapshot_id
        entries = _stage_tables(staging, tables)
        _move_into_place(self, staging, snapshot_id, list(tables))
        return entries

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
# example, kill the process at `_write_manifest` to simulate a crash before the commit).


def _stage_tables(staging: Path, tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Write and fsync every part under `staging`; return the manifest entry of each table."""
    entries = {}
    for name, table in sorted(tables.items()):
        folder = staging / name
        folder.mkdir(parents=True)
        path = folder / PART
        with open(path, "wb") as handle:
            pq.write_table(table, handle, compression=COMPRESSION)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_dir(folder)
        entries[name] = table_entry(table, _file_sha256(path))
    fsync_dir(staging)
    return entries


def _move_into_place(store: SnapshotStore, staging: Path, snapshot_id: str, names: list) -> None:
    for name in sorted(names):
        target = store.table_path(name, snapshot_id).parent
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
        fsync_dir(target.parent)


def _write_manifest(store: SnapshotStore, manifest: dict) -> None:
    text = json.dumps(manifest, sort_keys=True, indent=2, allow_nan=False) + "\n"
    store._write_text(manifest_key(manifest["snapshot_id"]), text)


def _point_latest(store: SnapshotStore, snapshot_id: str) -> None:
    store._write_text(LATEST, snapshot_id)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
