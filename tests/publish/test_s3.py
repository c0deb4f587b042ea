"""The snapshot store on S3: moto's S3 server on 127.0.0.1 stands in for AWS.

Nothing here talks to AWS: the store finds the endpoint in `AWS_ENDPOINT_URL`, as it would
find MinIO's. DuckDB reads the parts through a pyarrow dataset on the same filesystem, so no
DuckDB extension (httpfs) is downloaded.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

import boto3
import duckdb
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from ai_landscape import schema, snapshots
from ai_landscape.publish.local import LocalSnapshotStore
from ai_landscape.publish.objectstore import ObjectSnapshotStore
from ai_landscape.publish.store import SnapshotNotFound
from ai_landscape.publish.warehouse import local_workdir, open_store
from tests.real_frames import SEEN_AT, replay_tables
from tests.store_frames import (
    INFO,
    PUBLISHED,
    T1,
    T2,
    T3,
    VOLATILE,
    expected_id,
    publish,
    run_killed_child,
    tables,
)

T4 = dt.datetime(2025, 3, 3, 6, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def s3_endpoint():
    """One moto S3 server for the module, and the AWS environment pointing at it."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ENDPOINT_URL", endpoint)
        env.setenv("AWS_ACCESS_KEY_ID", "moto")
        env.setenv("AWS_SECRET_ACCESS_KEY", "moto")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        yield endpoint
    server.stop()


@pytest.fixture
def root(s3_endpoint) -> str:
    """A fresh bucket per test; the warehouse is a prefix inside it."""
    bucket = f"landscape-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    return f"s3://{bucket}/warehouse"


def object_keys(store: ObjectSnapshotStore) -> list[str]:
    selector = pafs.FileSelector(store.base, recursive=True, allow_not_found=True)
    infos = store.fs.get_file_info(selector)
    return sorted(
        i.path.removeprefix(store.base + "/") for i in infos if i.type == pafs.FileType.File
    )


def connect(store: ObjectSnapshotStore, table: str) -> duckdb.DuckDBPyConnection:
    """DuckDB with `table` registered as a hive-partitioned pyarrow dataset on S3."""
    dataset = ds.dataset(
        store.key(table), filesystem=store.fs, format="parquet", partitioning="hive"
    )
    con = duckdb.connect()
    con.register(table, dataset)
    return con


def history(store: ObjectSnapshotStore, table: str, ids: list[str] | None = None) -> list[tuple]:
    """Rows and distinct models per snapshot id, optionally only the given ids."""
    where = "where list_contains($ids, snapshot_id)" if ids is not None else ""
    return (
        connect(store, table)
        .execute(
            f"select snapshot_id, count(*), count(distinct model_id) from {table} {where} "
            "group by 1 order by 1",
            {"ids": ids} if ids is not None else None,
        )
        .fetchall()
    )


def test_url_root_opens_the_object_store(root):
    store = open_store(root + "/")
    assert isinstance(store, ObjectSnapshotStore)
    assert store.root == root
    assert store.base == root.removeprefix("s3://")
    assert store.latest_id() is None
    assert store.list_snapshots() == []
    with pytest.raises(SnapshotNotFound, match=f"no snapshot in {root}"):
        store.resolve("latest")
    assert type(open_store("data/warehouse")) is LocalSnapshotStore
    assert type(open_store("file:///tmp/x")) is LocalSnapshotStore
    assert open_store("file:///tmp/x").root == Path("/tmp/x")


def test_publish_writes_the_local_layout_and_bytes(root, tmp_path):
    frames = tables(2)
    store = open_store(root)
    result = publish(store, frames, T1)
    sid = expected_id(T1, frames)
    assert result.snapshot_id == sid
    assert object_keys(store) == sorted(
        ["_latest", f"_manifests/{sid}.json"]
        + [f"{name}/snapshot_id={sid}/part-0.parquet" for name in PUBLISHED]
    )
    assert store.table_path("models", sid) == f"{root}/models/snapshot_id={sid}/part-0.parquet"

    # The same frames published on local disk: the same id, and byte-identical parts.
    local_store = open_store(tmp_path / "local")
    assert publish(local_store, frames, T1).manifest == result.manifest
    assert result.manifest["tables"]["models"]["rows"] == 2
    assert store._read_text("_latest") == sid

    for name in PUBLISHED:
        back = schema.to_arrow(name, store.read_table(name))
        assert back.equals(schema.to_arrow(name, local_store.read_table(name)))
    assert store.read_table("models")["model_id"].tolist() == [
        "meta-ai/llama-3.1-405b",
        "xai/grok-4.20",
    ]
    assert snapshots.read("models", root, sid)["name"].tolist() == ["Llama 3.1-405B", "Grok 4.20"]


def test_duckdb_reads_real_replay_tables_back_through_pyarrow(root):
    frames = replay_tables()
    store = open_store(root)
    sid = store.publish(
        frames, created_at=SEEN_AT, info=INFO, volatile_columns=VOLATILE
    ).snapshot_id
    assert history(store, "models") == [(sid, 1355, 1355)]

    by_openness = (
        connect(store, "models")
        .execute(
            "select openness, count(*) from models where large_scale = 'confirmed' "
            "group by 1 order by 1"
        )
        .fetchall()
    )
    # The figures of the README's `landscape query` example, from S3 this time.
    assert by_openness == [("closed", 103), ("open", 224), ("unknown", 1)]
    models = store.read_table("models")
    expected = models[models["large_scale"] == "confirmed"].groupby("openness").size()
    assert by_openness == list(expected.items())

    loaded = duckdb.sql(
        "select extension_name, install_mode from duckdb_extensions() where loaded"
    ).fetchall()
    assert all(mode == "STATICALLY_LINKED" for _, mode in loaded), loaded
    assert "httpfs" not in {name for name, _ in loaded}


def test_same_content_writes_nothing(root):
    store = open_store(root)
    first = publish(store, tables(2), T1)
    keys = object_keys(store)
    again = publish(store, tables(2, last_seen="2026-05-03T08:30:15"), T2)
    assert again.unchanged is True
    assert again.latest_id == first.snapshot_id
    assert object_keys(store) == keys


def test_parent_chain_and_history_over_two_publishes(root):
    store = open_store(root)
    first = publish(store, tables(2), T1).snapshot_id
    second = publish(store, tables(3), T2)
    assert second.manifest["parent_id"] == first
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [first, second.snapshot_id]
    assert history(store, "models") == [(first, 2, 2), (second.snapshot_id, 3, 3)]
    assert len(store.read_table("models", first)) == 2
    assert store.resolve("2025-03-02") == second.snapshot_id


@pytest.mark.integration
def test_publish_killed_before_its_manifest_leaves_no_listed_snapshot(root, tmp_path):
    store = open_store(root)
    first = publish(store, tables(2), T1).snapshot_id
    killed_frames = tables(3)
    killed = expected_id(T2, killed_frames)

    proc = run_killed_child(root, tmp_path, killed_frames, T2, "_write_manifest")
    assert proc.returncode == -9, proc.stderr

    # The parts reached their final keys; without a manifest nobody may trust them.
    orphans = [f"{name}/snapshot_id={killed}/part-0.parquet" for name in PUBLISHED]
    assert set(orphans) <= set(object_keys(store))
    assert f"_manifests/{killed}.json" not in object_keys(store)
    assert store.latest_id() == first
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [first]
    with pytest.raises(SnapshotNotFound, match=killed):
        store.resolve(killed)
    assert len(store.read_table("models")) == 2
    # A glob reader sees the orphan; a reader keeping manifest ids does not.
    assert history(store, "models") == [(first, 2, 2), (killed, 3, 3)]
    assert history(store, "models", ids=[first]) == [(first, 2, 2)]

    # Within the grace period a later publish leaves the orphan alone (it could be a
    # publish still uploading elsewhere) and commits its own snapshot.
    after = publish(store, killed_frames, T3)
    assert after.snapshot_id == expected_id(T3, killed_frames)
    assert after.manifest["parent_id"] == first
    assert set(orphans) <= set(object_keys(store))

    # Past the grace period the orphan goes; committed snapshots stay.
    store.orphan_grace = dt.timedelta(0)
    last = publish(store, tables(1), T4)
    assert not set(orphans) & set(object_keys(store))
    assert [m["snapshot_id"] for m in store.list_snapshots()] == [
        first,
        after.snapshot_id,
        last.snapshot_id,
    ]
    assert history(store, "models") == [
        (first, 2, 2),
        (after.snapshot_id, 3, 3),
        (last.snapshot_id, 1, 1),
    ]


def test_local_workdir_of_each_warehouse(tmp_path, monkeypatch):
    """A path warehouse keeps its raw zone inside; an S3 one, in a local folder of its own."""
    assert local_workdir(tmp_path / "wh") == tmp_path / "wh"
    assert local_workdir(str(tmp_path / "wh")) == tmp_path / "wh"
    monkeypatch.setenv("LANDSCAPE_WORK_DIR", str(tmp_path / "work"))
    lake = local_workdir("s3://lake/landscape/")
    other = local_workdir("s3://lake/other")
    assert lake == local_workdir("s3://lake/landscape")
    assert lake.parent == other.parent == tmp_path / "work"
    assert len(lake.name) == len(other.name) == 12
    assert lake != other


def test_query_report_and_validate_read_an_object_store_warehouse(root, tmp_path, monkeypatch):
    from ai_landscape.commands.validate import validate_snapshot
    from ai_landscape.report.build import build_report
    from ai_landscape.report.query import run_query

    monkeypatch.setenv("LANDSCAPE_WORK_DIR", str(tmp_path / "work"))
    store = open_store(root)
    sid = store.publish(
        replay_tables(), created_at=SEEN_AT, info=INFO, volatile_columns=VOLATILE
    ).snapshot_id
    result = run_query(
        "select openness, count(*) from models where large_scale = 'confirmed' "
        "group by 1 order by 1",
        root,
    )
    assert (result.snapshot_id, result.rows) == (
        sid,
        [("closed", 103), ("open", 224), ("unknown", 1)],
    )

    report = build_report(root)
    assert report.page == local_workdir(root) / "_reports" / sid / "index.html"
    assert local_workdir(root).is_relative_to(tmp_path / "work")
    assert "AI landscape: snapshot " + sid in report.page.read_text()

    code, text = validate_snapshot("latest", root)
    assert (code, text.splitlines()[0]) == (
        0,
        f"snapshot {sid} against the current suites: passes",
    )
