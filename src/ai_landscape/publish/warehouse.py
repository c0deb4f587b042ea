"""Which store a warehouse setting names, and where its local-only files go: decided here only.

A warehouse is a path (`data/warehouse`, `file:///srv/landscape`) or an object-store URL
(`s3://bucket/prefix`, any scheme pyarrow opens). Every command and the flow open it through
`open_warehouse`, so "is it a URL" has one answer everywhere.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ai_landscape import settings
from ai_landscape.publish.local import LocalSnapshotStore
from ai_landscape.publish.objectstore import ObjectSnapshotStore
from ai_landscape.publish.store import SnapshotStore, is_object_url


@dataclass(frozen=True)
class Warehouse:
    store: SnapshotStore
    # Where a run keeps what is still local-only: the raw zone, HTTP validators, Data Docs,
    # quarantine files and reports. The warehouse itself when it is local.
    work: Path

    @property
    def root(self) -> str | Path:
        return self.store.root

    @property
    def is_local(self) -> bool:
        return isinstance(self.store, LocalSnapshotStore)


def normalize_root(value: str | os.PathLike) -> str | Path:
    """A URL stays a string (Path would mangle `s3://`); `file://` URLs and paths are Paths."""
    text = os.fspath(value)
    if is_object_url(text):
        return text.rstrip("/")
    if text.startswith("file://"):
        return Path(unquote(urlsplit(text).path))
    return Path(text)


def open_store(value: str | os.PathLike | None = None) -> SnapshotStore:
    """The store a warehouse setting names (None: the configured warehouse)."""
    root = normalize_root(settings.current().warehouse if value is None else value)
    return ObjectSnapshotStore(root) if isinstance(root, str) else LocalSnapshotStore(root)


def local_workdir(value: str | os.PathLike) -> Path:
    """For an object-store warehouse, `$LANDSCAPE_WORK_DIR` (default data/warehouse/_work,
    ignored by git) / a hash of its URL, so two warehouses never share raw bytes."""
    root = normalize_root(value)
    if isinstance(root, Path):
        return root
    return settings.current().work_dir / hashlib.sha256(root.encode()).hexdigest()[:12]


def open_warehouse(value: str | os.PathLike | None = None) -> Warehouse:
    store = open_store(value)
    return Warehouse(store, local_workdir(store.root))
