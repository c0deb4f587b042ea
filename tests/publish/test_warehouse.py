"""One answer to "which store, and where do its local files go" for every spelling of a
warehouse, read from one settings object."""

from __future__ import annotations

from pathlib import Path

from ai_landscape import settings
from ai_landscape.publish.local import LocalSnapshotStore
from ai_landscape.publish.warehouse import local_workdir, normalize_root, open_warehouse


def test_a_path_and_a_file_url_open_the_same_local_store(tmp_path):
    by_path = open_warehouse(tmp_path / "wh")
    by_url = open_warehouse(f"file://{tmp_path}/wh")
    assert isinstance(by_url.store, LocalSnapshotStore)
    assert by_path.root == by_url.root == tmp_path / "wh"
    assert by_path.work == by_url.work == tmp_path / "wh"
    assert by_url.is_local


def test_the_environment_names_the_default_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.WAREHOUSE_ENV, f"file://{tmp_path}/env-wh")
    assert open_warehouse().root == tmp_path / "env-wh"
    monkeypatch.delenv(settings.WAREHOUSE_ENV)
    assert open_warehouse().root == settings.DEFAULT_WAREHOUSE


def test_an_object_url_keeps_its_scheme_and_works_in_a_hashed_local_folder(tmp_path, monkeypatch):
    # Opening the store itself needs an S3 endpoint: tests/publish/test_s3.py does, on moto.
    monkeypatch.setenv(settings.WORK_DIR_ENV, str(tmp_path / "work"))
    assert normalize_root("s3://bucket/landscape/") == "s3://bucket/landscape"
    work = local_workdir("s3://bucket/landscape/")
    assert work.parent == tmp_path / "work"
    assert len(work.name) == 12
    assert local_workdir("s3://bucket/landscape") == work
    assert local_workdir("s3://bucket/other") != work


def test_settings_read_every_variable_at_call_time(monkeypatch):
    monkeypatch.setenv(settings.WAIT_ENV, "7.5")
    monkeypatch.setenv(settings.DASK_ADDRESS_ENV, "tcp://127.0.0.1:8786")
    monkeypatch.setenv(settings.REPLAY_DIR_ENV, "/tmp/replay")
    monkeypatch.setenv("HF_TOKEN", " secret ")
    monkeypatch.setenv(settings.DEADLINE_ENV, "90")
    monkeypatch.setenv(settings.TASK_RUNNER_ENV, "dask")
    monkeypatch.setenv(settings.CENSUS_MEMORY_ENV, "2GB")
    now = settings.current()
    assert now.warehouse_wait_seconds == 7.5
    assert now.dask_address == "tcp://127.0.0.1:8786"
    assert now.replay_dir == Path("/tmp/replay")
    assert now.tokens == {"huggingface.co": "secret"}
    assert (now.run_deadline_seconds, now.task_runner, now.census_duckdb_memory) == (
        90.0,
        "dask",
        "2GB",
    )


def test_no_module_but_settings_reads_a_landscape_variable():
    from tests.conftest import PROJECT_ROOT

    readers = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for folder in ("src", "flows")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if "LANDSCAPE_" in path.read_text("utf-8")
        and "os.environ" in path.read_text("utf-8")
        and path.name != "settings.py"
    ]
    assert readers == ["src/ai_landscape/ops/supervise.py"]  # its own child marker only
