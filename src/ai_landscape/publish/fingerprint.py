"""Content fingerprint of a snapshot: what decides whether a run produced anything new.

Timestamps such as `last_seen` change on every run even when nothing else did; hashing them
would publish an identical snapshot every day. The caller names those volatile columns and
they are left out of the hash (they are still written to the parquet parts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence

import pyarrow as pa

# Tables that describe a snapshot's change from its parent, not its content: an identical
# rerun after a change has no events, and must not publish a snapshot for that alone.
UNHASHED_TABLES = frozenset({"events"})


def contract_table(table: pa.Table) -> pa.Table:
    """Drop pandas' own schema metadata and merge chunks.

    `pa.Table.from_pandas` records the source frame's dtypes (object vs str, pandas
    version) in b"pandas" metadata; keeping it would make both the parquet bytes and the
    fingerprint depend on how the caller happened to build the frame rather than on its
    content. The contract's metadata (table name, column descriptions) stays.
    """
    metadata = {k: v for k, v in (table.schema.metadata or {}).items() if k != b"pandas"}
    return table.combine_chunks().replace_schema_metadata(metadata or None)


class ContractTables(Mapping[str, pa.Table]):
    """Frames read as contract tables one at a time, each converted when asked for and
    dropped by the caller after use: a publish hashes, then writes, one table after another,
    so it never holds every table twice (frame and Arrow) at once (#17). The tables the
    fingerprint skips (UNHASHED_TABLES, small) are converted at once and kept, so every
    table has been converted, and any error raised, before a publish writes anything."""

    def __init__(self, frames: Mapping, to_arrow: Callable[[str, object], pa.Table]) -> None:
        self.frames, self.to_arrow = frames, to_arrow
        self.kept = {n: self._convert(n) for n in frames if n in UNHASHED_TABLES}

    def __getitem__(self, name: str) -> pa.Table:
        return self.kept[name] if name in self.kept else self._convert(name)

    def _convert(self, name: str) -> pa.Table:
        return contract_table(self.to_arrow(name, self.frames[name]))

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)


def content_fingerprint(
    tables: Mapping[str, pa.Table],
    volatile_columns: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """sha256 over each table's Arrow IPC stream (sorted by table name), volatile columns and
    UNHASHED_TABLES dropped.

    Row order is significant: the caller is expected to produce a deterministic order. The
    table name and the stream length are hashed before each stream so that no two different
    sets of tables can produce the same byte sequence.
    """
    volatile = dict(volatile_columns or {})
    unknown_tables = sorted(set(volatile) - set(tables))
    if unknown_tables:
        raise ValueError(f"volatile_columns names tables that are not published: {unknown_tables}")
    digest = hashlib.sha256()
    for name in sorted(set(tables) - UNHASHED_TABLES):
        table = contract_table(tables[name])
        drop = list(volatile.get(name, ()))
        missing = [c for c in drop if c not in table.column_names]
        if missing:
            raise ValueError(f"table {name!r}: volatile columns {missing} are not in the table")
        table = table.drop_columns(drop)
        encoded = name.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        # The stream is written twice, never held: once to count its bytes, once into the
        # hash (a buffered copy of `source_records` was ~1 GiB of the x100 peak, #17).
        counted = pa.MockOutputStream()
        _write_stream(table, counted)
        digest.update(counted.size().to_bytes(8, "big"))
        with pa.PythonFile(_Hashing(digest), mode="w") as sink:
            _write_stream(table, sink)
    return digest.hexdigest()


def _write_stream(table: pa.Table, sink) -> None:
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


class _Hashing:
    """A write-only file that feeds each write to a hash."""

    closed = False

    def __init__(self, digest) -> None:
        self.digest = digest

    def write(self, data) -> int:
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True
