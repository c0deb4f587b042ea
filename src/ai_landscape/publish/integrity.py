"""Each part of a snapshot is checked against the sha256 its manifest recorded.

The manifest is the commit, and it names every part's digest; a part replaced afterwards
(a stray `COPY ... TO`, a disk fault, a hand edit) would otherwise be read as if published.
Reading a part therefore reads its bytes once, hashes them and parses those same bytes, so
what is checked is what is used, and a mismatch is an error naming the file.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from ai_landscape.publish.store import SnapshotStore


class IntegrityError(RuntimeError):
    """A published part's bytes differ from its manifest's sha256 (or the part is gone)."""


def part_location(store: SnapshotStore, key: str) -> str:
    """The part's full path or URL, for messages."""
    root = str(store.root).rstrip("/")
    return f"{root}/{key}"


def verified_bytes(store: SnapshotStore, snapshot_id: str, table: str, entry: dict) -> bytes:
    """The part's bytes, after checking them against `entry["sha256"]`."""
    key = entry["path"]
    try:
        body = store._read_bytes(key)
    except FileNotFoundError:
        raise IntegrityError(
            f"snapshot {snapshot_id}: table {table!r}: {part_location(store, key)} is missing"
        ) from None
    actual = hashlib.sha256(body).hexdigest()
    if actual != entry.get("sha256"):
        raise IntegrityError(
            f"snapshot {snapshot_id}: table {table!r}: {part_location(store, key)} has sha256 "
            f"{actual}, its manifest says {entry.get('sha256')}: the file changed after it was "
            "published"
        )
    return body


def verified_table(store: SnapshotStore, snapshot_id: str, table: str, entry: dict) -> pa.Table:
    body = verified_bytes(store, snapshot_id, table, entry)
    # ParquetFile reads exactly these bytes: no hive partition column is added.
    return pq.ParquetFile(pa.BufferReader(body)).read()


def snapshot_problems(store: SnapshotStore, snapshot_id: str) -> list[str]:
    """One message per part of the snapshot that is missing or does not match its manifest."""
    problems = []
    for table, entry in sorted(store.manifest(snapshot_id)["tables"].items()):
        try:
            verified_bytes(store, snapshot_id, table, entry)
        except IntegrityError as exc:
            problems.append(str(exc))
    return problems
