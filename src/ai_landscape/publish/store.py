"""The versioned parquet snapshot store: its layout, and what every implementation shares.

Layout, table first so that one glob (`<root>/models/*/*.parquet`) reads all history:

    <root>/<table>/snapshot_id=<id>/part-0.parquet
    <root>/_manifests/<id>.json          a snapshot exists only if its manifest does
    <root>/_latest                       the id readers get for "latest"
    <root>/_staging/<id>/<table>/...     parts being written (never read; local only)

The manifest is the commit point: it is written after every part, and `_latest` after it. A
crash before the manifest leaves parts that no manifest lists; the next publish deletes them,
so globbing readers never pick them up.

`SnapshotStore` is the protocol both implementations share: reading and the publish
algorithm, over a few storage primitives (`_read_text`, `_exists`, `_list_names`,
`_write_text`, `_read_parquet`, `_write_parts`, `_lock`, `_remove_leftovers`). The local one
(`publish/local.py`) stages, fsyncs and renames under a file lock; the object-store one
(`publish/objectstore.py`) has no rename, so parts go straight to their final keys and the
manifest alone commits. `publish/warehouse.py` picks one for a path or a URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ai_landscape.fsutil import file_sha256

if TYPE_CHECKING:  # read-only commands list and resolve snapshots without pandas or pyarrow
    import pandas as pd
    import pyarrow as pa

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
    """What every store does over its storage primitives; see the module docstring."""

    root: str | Path

    # -- storage primitives (each implementation's own) -----------------------------------

    def _read_text(self, key: str) -> str:
        """Raises FileNotFoundError when `key` does not exist."""
        raise NotImplementedError

    def _exists(self, key: str) -> bool:
        raise NotImplementedError

    def _list_names(self, folder: str) -> list[str]:
        raise NotImplementedError

    def _write_text(self, key: str, text: str) -> None:
        raise NotImplementedError

    def _read_parquet(self, key: str) -> pa.Table:
        raise NotImplementedError

    def _prepare(self) -> None:
        raise NotImplementedError

    def _lock(self) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    def _remove_leftovers(self) -> None:
        raise NotImplementedError

    def _write_parts(self, snapshot_id: str, tables: dict[str, pa.Table]) -> dict[str, dict]:
        """Write every part where readers will find it; return each table's manifest entry."""
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _place_file(self, key: str, path: Path) -> None:
        """Move a finished part (written elsewhere, e.g. the census) to `key`."""
        raise NotImplementedError

    def table_path(self, table: str, snapshot_id: str) -> str | Path:
        raise NotImplementedError

    def _read_bytes(self, key: str) -> bytes:
        """Raises FileNotFoundError when `key` does not exist."""
        raise NotImplementedError

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

    def read_table(self, table: str, snapshot: str = "latest") -> pd.DataFrame:
        snapshot_id = self.resolve(snapshot)
        tables = self._load_manifest(snapshot_id)["tables"]
        if table not in tables:
            raise TableNotFound(f"snapshot {snapshot_id} has no table {table!r}: {sorted(tables)}")
        from ai_landscape.publish.integrity import verified_table  # pyarrow: only when reading

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
        files: dict[str, Path] | None = None,
        expected_parent: str | object | None = _ANY_PARENT,
    ) -> PublishResult:
        """`files`: tables already written as parquet in the contract's schema (the census,
        too large for a frame); they are moved in as their parts, hashed by their bytes.
        `expected_parent`: the snapshot the tables were computed against (their events,
        row-count bands, sticky ids). If another snapshot is the latest by the time of the
        commit, the publish refuses with ParentMoved and writes nothing: a run never
        rebases silently, and never publishes on top of a parent it did not compare with."""
        from ai_landscape import schema
        from ai_landscape.publish.fingerprint import ContractTables, content_fingerprint

        files = dict(files or {})
        if not tables and not files:
            raise ValueError("publish needs at least one table")
        unknown = sorted((set(tables) | set(files)) - set(schema.CONTRACT))
        if unknown:
            raise ValueError(
                f"tables not in the contract: {unknown}; known {sorted(schema.CONTRACT)}"
            )
        if created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        clash = sorted(set(info) & set(RESERVED_KEYS))
        if clash:
            raise ValueError(f"info keys {clash} are reserved for the manifest")
        json.dumps(info, allow_nan=False)  # fail before writing anything, not at the commit
        created_at = created_at.astimezone(UTC)
        arrow = ContractTables(tables, schema.to_arrow)  # converted table by table, on use
        fingerprint = content_fingerprint(arrow, volatile_columns)
        file_entries = {name: _file_entry(name, Path(path)) for name, path in files.items()}
        if file_entries:
            fingerprint = hashlib.sha256(
                (fingerprint + json.dumps(file_entries, sort_keys=True)).encode()
            ).hexdigest()

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
            for name, path in sorted(files.items()):
                self._place_file(part_key(name, snapshot_id), Path(path))
                entries[name] = file_entries[name]
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


# Each step of a publish is a module-level function so a test can stand in for one (for
# example, kill the process at `_write_manifest` to simulate a crash before the commit).


def _write_manifest(store: SnapshotStore, manifest: dict) -> None:
    text = json.dumps(manifest, sort_keys=True, indent=2, allow_nan=False) + "\n"
    store._write_text(manifest_key(manifest["snapshot_id"]), text)


def _point_latest(store: SnapshotStore, snapshot_id: str) -> None:
    store._write_text(LATEST, snapshot_id)


def _file_entry(name: str, path: Path) -> dict:
    """A written part's manifest entry; its schema must be the contract's."""
    import pyarrow.parquet as pq

    from ai_landscape import schema

    meta = pq.ParquetFile(path)
    expected = schema.arrow_schema(name)
    if not meta.schema_arrow.equals(expected, check_metadata=False):
        raise ValueError(f"{path}: not the {name!r} contract schema: {meta.schema_arrow}")
    return {
        **table_entry(expected.empty_table(), file_sha256(path)),
        "rows": meta.metadata.num_rows,
    }
