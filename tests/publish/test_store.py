"""The snapshot store: round trip, no-op republish, history globbing, resolution.

A publish killed mid-way is in test_store_crash.py; the shared frames in store_frames.py."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ai_landscape import schema, snapshots
from ai_landscape.publish.fingerprint import contract_table
from ai_landscape.publish.store import PublishResult, SnapshotNotFound, TableNotFound
from ai_landscape.publish.warehouse import open_store
from tests.real_frames import SEEN_AT
from tests.store_frames import (
    SUMMARY_ROWS,
    T1,
    T2,
    T3,
    _ts,
    expected_id,
    file_sha256,
    fingerprint,
    models_frame,
    publish,
    tables,
    tree,
)

# -- 1. round trip, manifest, pointer, parent chain -------------------------------------------


def test_publish_reads_back_equal(tmp_path):
    store = open_store(tmp_path)
    frames = tables()
    result = publish(store, frames, T1)
    sid = expected_id(T1, frames)
    assert result.snapshot_id == sid
    assert result.unchanged is False
    assert result.latest_id == sid

    for name, frame in frames.items():
        back = store.read_table(name)
        written = contract_table(schema.to_arrow(name, frame))
        assert schema.to_arrow(name, back).equals(written)
        assert list(back.columns) == [c.name for c in schema.TABLES[name]]
        assert store.read_table(name, sid).equals(back)

    models = store.read_table("models")
    assert models["model_id"].tolist() == ["meta-ai/llama-3.1-405b", "xai/grok-4.20"]
    assert models["name"].tolist() == ["Llama 3.1-405B", "Grok 4.20"]
    assert models["parameters"].dtype == "float64"
    assert models["parameters"].tolist() == [405e9, 500e9]
    assert models["training_compute_flop"].iloc[0] == 3.8e25
    assert pd.isna(models["training_compute_flop"].iloc[1])
    assert models["family"].isna().tolist() == [True, True]  # Epoch gives no family
    assert str(models["first_seen"].dtype) == "datetime64[us, UTC]"
    assert models["last_seen"].iloc[0] == SEEN_AT == _ts("2026-05-02T12:00:00")
    assert models["release_date"].tolist() == [dt.date(2024, 7, 23), None]
    assert [list(v) for v in models["organizations"]] == [["Meta AI"], ["xAI"]]
    assert [list(v) for v in models["sources"]] == [["epoch"], ["epoch"]]
    assert [list(v) for v in models["openrouter_ids"]] == [[], []]
    records = store.read_table("source_records")
    assert records[["dataset", "row", "model_id"]].values.tolist() == [
        ["large_scale", 250, "meta-ai/llama-3.1-405b"],
        ["frontier", 11, "meta-ai/llama-3.1-405b"],
        ["notable", 175, "meta-ai/llama-3.1-405b"],
        ["notable", 1010, "xai/grok-4.20"],
    ]
    summary = store.read_table("summary_by_year")
    assert len(summary) == SUMMARY_ROWS
    assert summary["year"].dtype == "int32"
    assert summary["year"].iloc[0] == 1950
    assert summary["models"].sum() == 1909
    assert summary["country_code"].iloc[0] == "US"
    assert pd.isna(summary["country_code"].iloc[34])  # 1990: models with no country
    assert summary["country_code"].isna().sum() == 15


def test_parts_keep_contract_schema_and_descriptions(tmp_path):
    store = open_store(tmp_path)
    sid = publish(store, tables(), T1).snapshot_id
    path = store.table_path("models", sid)
    assert path == tmp_path / "models" / f"snapshot_id={sid}" / "part-0.parquet"
    file_schema = pq.read_schema(path)
    contract = schema.arrow_schema("models")
    # Types equal; parquet names list items "element" where Arrow says "item".
    assert file_schema.equals(contract)
    assert file_schema.metadata == {b"table": b"models"}
    assert [f.metadata for f in file_schema] == [f.metadata for f in contract]
    assert file_schema.field("license_id").metadata == {
        b"description": b"SPDX id where one exists, else a stable id."
    }
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_manifest_contents_and_latest_pointer(tmp_path):
    store = open_store(tmp_path)
    frames = tables()
    sid = publish(store, frames, T1).snapshot_id

    manifest_path = tmp_path / "_manifests" / f"{sid}.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest_path.read_text() == json.dumps(manifest, sort_keys=True, indent=2) + "\n"
    assert set(manifest) == {
        "snapshot_id",
        "created_at",
        "parent_id",
        "content_sha256",
        "tables",
        "mode",
        "code_version",
        "sources",
        "validation",
    }
    assert manifest["snapshot_id"] == sid
    assert manifest["created_at"] == "2025-03-01T12:00:00+00:00"
    assert manifest["parent_id"] is None
    assert manifest["content_sha256"] == fingerprint(frames)
    assert manifest["mode"] == "replay"
    assert manifest["sources"] == {"epoch": {"status": "ok", "records": 1658}}
    assert manifest["validation"] == {"success": True, "failed": 0}
    assert sorted(manifest["tables"]) == ["models", "source_records", "summary_by_year"]
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == {
        "models": 2,
        "source_records": 4,
        "summary_by_year": SUMMARY_ROWS,
    }
    for name, entry in manifest["tables"].items():
        assert entry["path"] == f"{name}/snapshot_id={sid}/part-0.parquet"
        assert entry["sha256"] == file_sha256(tmp_path / entry["path"])
        assert entry["schema"] == [
            {"name": c.name, "type": str(c.type)} for c in schema.TABLES[name]
        ]
    assert manifest["tables"]["models"]["schema"][4] == {
        "name": "organizations",
        "type": "list<item: string>",
    }
    assert store.manifest(sid) == manifest
    assert store.manifest("latest") == manifest
    assert (tmp_path / "_latest").read_bytes() == sid.encode()
    assert tree(tmp_path) == [
        "_latest",
        "_manifests",
        f"_manifests/{sid}.json",
        "models",
        f"models/snapshot_id={sid}",
        f"models/snapshot_id={sid}/part-0.parquet",
        "source_records",
        f"source_records/snapshot_id={sid}",
        f"source_records/snapshot_id={sid}/part-0.parquet",
        "summary_by_year",
        f"summary_by_year/snapshot_id={sid}",
        f"summary_by_year/snapshot_id={sid}/part-0.parquet",
    ]


def test_parent_chain_over_two_publishes(tmp_path):
    store = open_store(tmp_path)
    first = publish(store, tables(2), T1)
    second = publish(store, tables(3), T2)
    assert first.snapshot_id == expected_id(T1, tables(2))
    assert second.snapshot_id == expected_id(T2, tables(3))
    assert second.manifest["parent_id"] == first.snapshot_id
    assert first.manifest["parent_id"] is None
    assert store.latest_id() == second.snapshot_id
    assert (tmp_path / "_latest").read_text() == second.snapshot_id
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [
        first.snapshot_id,
        second.snapshot_id,
    ]
    assert len(store.read_table("models")) == 3
    assert len(store.read_table("models", first.snapshot_id)) == 2
    assert store.manifest(second.snapshot_id)["tables"]["models"]["rows"] == 3


# -- 2. identical content publishes nothing --------------------------------------------------


def test_same_content_is_unchanged_and_writes_nothing(tmp_path):
    store = open_store(tmp_path)
    first = publish(store, tables(), T1)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    listing = tree(tmp_path)

    again = publish(store, tables(last_seen="2026-05-03T08:30:15"), T2)
    assert again == PublishResult(
        snapshot_id=None, unchanged=True, latest_id=first.snapshot_id, manifest=None
    )
    assert tree(tmp_path) == listing
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert len(store.list_snapshots()) == 1


def test_changed_non_volatile_value_is_new_content(tmp_path):
    store = open_store(tmp_path)
    frames = tables()
    publish(store, frames, T1)
    frames["models"].loc[0, "training_compute_flop"] *= 2  # Llama 3.1-405B: 3.8e25 -> 7.6e25
    result = publish(store, frames, T2)
    assert result.unchanged is False
    assert result.snapshot_id == expected_id(T2, frames)
    assert store.read_table("models")["training_compute_flop"].iloc[0] == 7.6e25
    assert (
        store.read_table("models", result.manifest["parent_id"])["training_compute_flop"].iloc[0]
        == 3.8e25
    )


def test_volatile_columns_must_exist(tmp_path):
    store = open_store(tmp_path)
    with pytest.raises(ValueError, match=r"volatile columns \['seen'\]"):
        store.publish(tables(), created_at=T1, info={}, volatile_columns={"models": ["seen"]})
    assert list(tmp_path.iterdir()) == []


# -- 3. DuckDB reads all history with one glob ----------------------------------------------


def test_duckdb_reads_history_with_hive_partitioning(tmp_path):
    store = open_store(tmp_path)
    first = publish(store, tables(2), T1).snapshot_id
    second = publish(store, tables(3), T2).snapshot_id
    rows = duckdb.sql(
        f"""
        select snapshot_id, count(*) as n, count(distinct model_id) as ids
        from read_parquet('{tmp_path}/models/*/*.parquet', hive_partitioning=true)
        group by snapshot_id order by snapshot_id
        """
    ).fetchall()
    assert rows == [(first, 2, 2), (second, 3, 3)]
    loaded = duckdb.sql(
        "select extension_name, install_mode from duckdb_extensions() where loaded"
    ).fetchall()
    assert all(mode == "STATICALLY_LINKED" for _, mode in loaded), loaded


# -- 5. resolving snapshot names -------------------------------------------------------------


def test_resolve(tmp_path):
    store = open_store(tmp_path)
    a = publish(store, tables(2), T1).snapshot_id
    b = publish(store, tables(3), T2).snapshot_id
    c = publish(store, tables(1), T3).snapshot_id
    assert store.resolve("latest") == c
    assert store.resolve(a) == a
    assert store.resolve(b[:12]) == b
    assert store.resolve("20250301") == a
    assert store.resolve("2025-03-01") == a
    assert store.resolve("2025-03-02") == c
    with pytest.raises(SnapshotNotFound, match="20250302T000000Z-abcdef"):
        store.resolve("20250302T000000Z-abcdef")
    with pytest.raises(SnapshotNotFound, match="ambiguous"):
        store.resolve("20250302")
    with pytest.raises(SnapshotNotFound, match="2025-03-03"):
        store.resolve("2025-03-03")
    with pytest.raises(SnapshotNotFound, match="2025-03-03"):
        store.read_table("models", "2025-03-03")
    with pytest.raises(SnapshotNotFound, match="nope"):
        store.manifest("nope")
    assert issubclass(SnapshotNotFound, LookupError)


def test_empty_store(tmp_path):
    store = open_store(tmp_path / "missing")
    assert store.latest_id() is None
    assert store.list_snapshots() == []
    with pytest.raises(SnapshotNotFound, match="no snapshot"):
        store.resolve("latest")


def test_latest_falls_back_to_newest_manifest(tmp_path):
    store = open_store(tmp_path)
    first = publish(store, tables(2), T1).snapshot_id
    second = publish(store, tables(3), T2).snapshot_id
    (tmp_path / "_latest").write_text(first)
    assert store.latest_id() == first  # the pointer wins while its manifest exists
    (tmp_path / "_latest").write_text("20990101T000000Z-000000")
    assert store.latest_id() == second
    (tmp_path / "_latest").unlink()
    assert store.latest_id() == second


def test_missing_table_in_snapshot(tmp_path):
    store = open_store(tmp_path)
    sid = publish(store, {"models": models_frame()}, T1).snapshot_id
    with pytest.raises(TableNotFound, match=f"{sid} has no table 'source_records'"):
        store.read_table("source_records")


def test_invalid_publish_writes_nothing(tmp_path):
    store = open_store(tmp_path)
    # `events` joined the contract with the events commit: a misspelt name stands in.
    with pytest.raises(ValueError, match=r"tables not in the contract: \['model'\]"):
        store.publish({"model": models_frame()}, created_at=T1, info={})
    with pytest.raises(ValueError, match=r"info keys \['parent_id'\] are reserved"):
        store.publish(tables(), created_at=T1, info={"parent_id": "x"})
    with pytest.raises(ValueError, match="timezone"):
        store.publish(tables(), created_at=dt.datetime(2025, 3, 1), info={})
    with pytest.raises(ValueError, match="Out of range float"):
        store.publish(tables(), created_at=T1, info={"score": float("nan")})
    with pytest.raises(ValueError, match="missing columns"):
        store.publish({"models": models_frame().drop(columns="name")}, created_at=T1, info={})
    assert list(tmp_path.iterdir()) == []


# -- the public read API ---------------------------------------------------------------------


def test_snapshots_module_reads_default_warehouse(tmp_path, monkeypatch):
    store = open_store(tmp_path / "wh")
    first = publish(store, tables(2), T1).snapshot_id
    second = publish(store, tables(3), T2).snapshot_id
    monkeypatch.setenv("LANDSCAPE_WAREHOUSE", str(tmp_path / "wh"))
    assert [m["snapshot_id"] for m in snapshots.list_snapshots()] == [first, second]
    assert len(snapshots.read("models")) == 3
    assert len(snapshots.read("models", snapshot="2025-03-01")) == 2
    assert snapshots.read("models", tmp_path / "wh", first)["model_id"].tolist() == [
        "meta-ai/llama-3.1-405b",
        "xai/grok-4.20",
    ]
    assert len(snapshots.read("summary_by_year", tmp_path / "wh", first)) == SUMMARY_ROWS
    assert snapshots.list_snapshots(tmp_path / "nowhere") == []
