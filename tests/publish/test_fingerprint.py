"""The content fingerprint hashes each table's Arrow IPC stream as it is written (never held
in memory): the same digest as hashing the buffered stream, on the real replay tables."""

from __future__ import annotations

import hashlib

import pandas as pd
import pyarrow as pa
import pytest

from ai_landscape import schema
from ai_landscape.pipeline.tables import VOLATILE_COLUMNS
from ai_landscape.publish.fingerprint import content_fingerprint, contract_table
from ai_landscape.publish.warehouse import open_store
from tests.real_frames import replay_tables
from tests.store_frames import T1, tables


def buffered_fingerprint(tables: dict[str, pa.Table], volatile: dict[str, list[str]]) -> str:
    """The build this replaced: each stream written to a buffer, then hashed."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        table = contract_table(tables[name]).drop_columns(volatile.get(name, []))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        stream = sink.getvalue()
        digest.update(len(name.encode()).to_bytes(8, "big") + name.encode())
        digest.update(stream.size.to_bytes(8, "big"))
        digest.update(memoryview(stream))
    return digest.hexdigest()


def test_streamed_hash_is_the_buffered_hash_on_the_replay_tables():
    arrow = {name: schema.to_arrow(name, frame) for name, frame in replay_tables().items()}
    assert sum(t.num_rows for t in arrow.values()) > 1_000
    assert content_fingerprint(arrow, VOLATILE_COLUMNS) == buffered_fingerprint(
        arrow, VOLATILE_COLUMNS
    )


def test_one_changed_cell_changes_the_fingerprint():
    frames = replay_tables()
    before = content_fingerprint({"models": schema.to_arrow("models", frames["models"])})
    frames["models"].loc[0, "name"] = frames["models"].loc[0, "name"] + " "
    after = content_fingerprint({"models": schema.to_arrow("models", frames["models"])})
    assert before != after


def test_a_publish_converts_one_table_at_a_time(tmp_path, monkeypatch):
    """Each table is converted when hashed and again when written, and dropped in between
    (before #17 every table was converted first and all were held together)."""
    converted, convert = [], schema.to_arrow

    def to_arrow(name, frame):
        table = convert(name, frame)
        converted.append(name)
        return table

    monkeypatch.setattr(schema, "to_arrow", to_arrow)
    frames = tables(3)
    result = open_store(tmp_path).publish(
        frames, created_at=T1, info={}, volatile_columns={"models": ["first_seen", "last_seen"]}
    )
    assert result.snapshot_id is not None
    assert converted == [*sorted(frames), *sorted(frames)]  # hashed, then written


def test_a_bad_unhashed_table_fails_before_anything_is_written(tmp_path):
    frames = {**tables(), "events": pd.DataFrame({"model_id": ["x"]})}
    with pytest.raises(ValueError, match="table 'events': missing columns"):
        open_store(tmp_path).publish(frames, created_at=T1, info={})
    assert list(tmp_path.iterdir()) == []
