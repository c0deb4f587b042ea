"""The snapshot store on an object store (`s3://bucket/prefix`), through pyarrow's filesystems.

An object store has no rename and no directory fsync, so the local staging + rename does not
carry over. What it does have is whole-object visibility: an upload becomes readable when it
completes, never half-written. So each part is written straight to its final key, and the
manifest, written after every part, is the commit: readers list `_manifests/` and trust
nothing else, exactly as on local disk. A publish that dies before its manifest leaves parts
that no manifest lists; a later publish deletes them.

There is no lock here: `fcntl` locks one machine's files, and S3 has no lock primitive that
pyarrow exposes. Writers are serialised by the Prefect global concurrency limit
(`ai_landscape.ops.concurrency`) instead. As a second line of defence the orphan cleanup only
deletes unlisted parts older than `orphan_grace`, so a publish still uploading elsewhere (a
run that bypassed the limit) never loses its parts to another run's cleanup.

Endpoint and credentials come from the standard AWS environment, as the AWS SDK reads it:
`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`, and `AWS_ENDPOINT_URL`
for S3-compatible servers (MinIO, moto). Any other scheme pyarrow knows (`gs://`, `abfs://`,
`hdfs://`) opens the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ai_landscape.publish.store import (
    COMPRESSION,
    PARTITION,
    SnapshotStore,
    part_key,
    table_entry,
)


def open_url(url: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and the bucket-relative base path of a warehouse URL."""
    filesystem, base = pafs.FileSystem.from_uri(url)
    return filesystem, base.rstrip("/")


class ObjectSnapshotStore(SnapshotStore):
    """`open_store(url)` returns one of these; the public API is the local store's.

    `root` is the URL (a string) and `table_path()` returns URLs. `fs` and `key()` give the
    pyarrow filesystem and path of any object, for readers such as `pyarrow.dataset`.
    """

    orphan_grace = timedelta(hours=1)

    def __init__(self, root: str):
        self.root = root.rstrip("/")
        self.fs, self.base = open_url(self.root)

    def key(self, relative: str) -> str:
        return f"{self.base}/{relative}" if relative else self.base

    def table_path(self, table: str, snapshot_id: str) -> str:  # type: ignore[override]
        return f"{self.root}/{part_key(table, snapshot_id)}"

    # -- storage primitives ----------------------------------------------------------------

    def _read_text(self, key: str) -> str:
        with self.fs.open_input_stream(self.key(key)) as stream:
            return stream.read().decode("utf-8")

    def _exists(self, key: str) -> bool:
        return self.fs.get_file_info(self.key(key)).type == pafs.FileType.File

    def _list_names(self, folder: str) -> list[str]:
        selector = pafs.FileSelector(self.key(folder), allow_not_found=True)
        return [
            i.base_name for i in self.fs.get_file_info(selector) if i.type == pafs.FileType.File
        ]

    def _write_text(self, key: str, text: str) -> None:
        _put(self.fs, self.key(key), text.encode("utf-8"))

    def _read_parquet(self, key: str) -> pa.Table:
        with self.fs.open_input_file(self.key(key)) as handle:
            return pq.ParquetFile(handle).read()

    def _read_bytes(self, key: str) -> bytes:
        with self.fs.open_input_stream(self.key(key)) as stream:
            return stream.read()

    # -- publishing steps --------------------------------------------------------------------

    def _prepare(self) -> None:
        """Nothing to create: prefixes exist once an object is under them."""

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """No lock on an object store: see the module docstring."""
        yield

    def _write_parts(self, snapshot_id: str, tables: dict[str, pa.Table]) -> dict[str, dict]:
        return _upload_parts(self, snapshot_id, tables)

    def _place_file(self, key: str, path: Path) -> None:
        pafs.copy_files(str(path), self.key(key), destination_filesystem=self.fs)
        path.unlink()

    def _finish(self) -> None:
        """No staging area to clear."""

    def _remove_leftovers(self) -> None:
        """Delete partitions no manifest lists, once all their objects are older than the grace."""
        committed = set(self._manifest_ids())
        cutoff = datetime.now(UTC) - self.orphan_grace
        for table_dir in self._subfolders(self.base):
            if table_dir.base_name.startswith(("_", ".")):
                continue
            for part_dir in self._subfolders(table_dir.path):
                name = part_dir.base_name
                if not name.startswith(PARTITION) or name.removeprefix(PARTITION) in committed:
                    continue
                objects = self.fs.get_file_info(pafs.FileSelector(part_dir.path, recursive=True))
                if all(o.mtime is None or o.mtime <= cutoff for o in objects):
                    self.fs.delete_dir(part_dir.path)

    def _subfolders(self, path: str) -> list[pafs.FileInfo]:
        infos = self.fs.get_file_info(pafs.FileSelector(path, allow_not_found=True))
        return [i for i in infos if i.type == pafs.FileType.Directory]


# A module-level step, like the local store's, so that a test can stand in for it.


def _upload_parts(
    store: ObjectSnapshotStore, snapshot_id: str, tables: dict[str, pa.Table]
) -> dict[str, dict]:
    """Write every part under its final key (invisible to readers until the manifest)."""
    entries = {}
    for name in sorted(tables):  # one table at a time (a lazy mapping)
        table = tables[name]
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression=COMPRESSION)
        body = sink.getvalue()
        _put(store.fs, store.key(part_key(name, snapshot_id)), body)
        entries[name] = table_entry(table, hashlib.sha256(memoryview(body)).hexdigest())
    return entries


def _put(filesystem: pafs.FileSystem, path: str, body: bytes | pa.Buffer) -> None:
    # An object becomes visible when its upload completes: a crash mid-write leaves nothing.
    with filesystem.open_output_stream(path) as stream:
        stream.write(body)
