"""The whole refresh flow on the recorded Epoch exports, on a temporary Prefect API."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import threading
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.flow import RunFailed, refresh_landscape
from ai_landscape.publish.warehouse import open_store
from tests.conftest import REPLAY_EPOCH
from tests.replay_copies import replay_with

pytestmark = pytest.mark.usefixtures("prefect_harness")

EPOCH_OPEN = {
    "Open weights (unrestricted)",
    "Open weights (restricted use)",
    "Open weights (non-commercial)",
}
EPOCH_CLOSED = {"API access", "Hosted access (no API)", "Unreleased"}


def run(warehouse: Path, **kwargs):
    return refresh_landscape(mode="replay", warehouse=str(warehouse), **kwargs)


def store_state(warehouse: Path) -> dict[str, bytes]:
    """Every byte of the published store (raw zone aside), to prove a failed run touched none."""
    return {
        str(p.relative_to(warehouse)): p.read_bytes()
        for p in sorted(warehouse.rglob("*"))
        if p.is_file()
        and p.relative_to(warehouse).parts[0] not in ("_raw", "_lock", "_docs", "_quarantine")
    }


def test_replay_publishes_then_reports_nothing_changed(warehouse):
    first = run(warehouse)
    assert first.status == "published"
    # Epoch's 1355 models (none merged into another), and 2229 that only the other catalogues
    # list (1,900 or so of them repos of the seven labs' Hub listings); 145 values on which
    # sources disagree (release dates, licences, AlphaFold's country).
    assert first.rows == {
        "models": 3584,
        "source_records": 6451,
        "summary_by_year": 868,
        "large_scale_by_year": 31,  # the headline chart's bars: 328 models
        "announcements": 2179,
        "events": 0,  # nothing to compare with yet
        "conflicts": 145,
        "hub_repos": 52406,  # the Hub census (tests/pipeline/test_census_replay.py)
        "hub_lineage": 287,
    }
    models = open_store(warehouse).read_table("models")
    assert models["sources"].map(lambda names: "epoch" in names).sum() == 1355
    feeds = {k: v for k, v in first.sources.items() if k.startswith("feeds.")}
    assert len(feeds) == 26
    assert {v["status"] for v in feeds.values()} == {"ok"}
    assert sum(v["records"] for v in feeds.values()) == 2179
    others = {k: v.get("records") for k, v in first.sources.items() if k not in feeds}
    assert others == {
        "epoch.large_scale": 510,
        "epoch.frontier": 137,
        "epoch.notable": 1011,
        "modelsdev.models": 231,
        "huggingface.details": 4,
        "huggingface.authors": 2028,
        "huggingface.trending": 15,
        "openrouter.models": 336,
        "huggingface.census": 52406,
    }
    assert first.sources["huggingface.authors"]["status"] == "ok"
    # Issue 12: models more than one catalogue lists (177 before this change), and where
    # open models' licences come from (16 of 518 from a weights repo before).
    assert first.fidelity == {
        "multi_catalogue": {"before_release_joins": 257, "after": 259},
        "open_models": 2201,
        "licence_sources": {
            "weights repo (Hugging Face)": 1698,
            "Epoch's notes": 340,
            "other catalogue": 4,
            "none": 159,
        },
    }
    store = open_store(warehouse)
    assert store.latest_id() == first.snapshot_id
    manifest = store.manifest("latest")
    assert manifest["mode"] == "replay"
    assert manifest["sources"]["epoch.large_scale"]["sha256"] == (
        "26ddd8ba0dbc7a3f669d605c19065b80f3acbeedfd20762d248a2efd67949b43"
    )
    assert manifest["validation"]["reports"]["models"]["success"] is True

    before = store_state(warehouse)
    second = run(warehouse)
    assert second.status == "unchanged"
    assert second.snapshot_id is None
    assert second.latest_id == first.snapshot_id
    assert store_state(warehouse) == before
    assert len(store.list_snapshots()) == 1


def test_duckdb_reads_the_store_with_hive_partitioning(warehouse):
    published = run(warehouse)
    glob = f"{warehouse}/models/*/*.parquet"
    rows = duckdb.sql(
        f"select snapshot_id, count(*), count(distinct model_id) "
        f"from read_parquet('{glob}', hive_partitioning=true) group by 1"
    ).fetchall()
    assert rows == [(published.snapshot_id, 3584, 3584)]
    loaded = duckdb.sql(
        "select extension_name from duckdb_extensions() where loaded and not installed"
    ).fetchall()
    assert loaded == []


def test_large_scale_counts_equal_a_direct_count_of_the_csv(warehouse):
    path = REPLAY_EPOCH / "large_scale_ai_models.csv"
    expected: Counter = Counter()
    seen = set()
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = " ".join(row["Model"].split())
            compute = row["Training compute (FLOP)"].strip()
            if not compute or float(compute) < 1e23 or name in seen:
                continue
            seen.add(name)
            access = row["Model accessibility"]
            openness = (
                "open"
                if access in EPOCH_OPEN
                else "closed"
                if access in EPOCH_CLOSED
                else "unknown"
            )
            expected[(int(row["Publication date"][:4]), openness)] += 1

    run(warehouse, sources=["epoch.large_scale"])
    got = duckdb.sql(
        f"""select year(release_date), openness, count(*)
            from read_parquet('{warehouse}/models/*/*.parquet')
            where large_scale = 'confirmed' group by all"""
    ).fetchall()
    assert dict(((y, o), n) for y, o, n in got) == dict(expected)
    assert sum(expected.values()) == 302


def without_column(tmp_path: Path, column: bytes) -> Path:
    """A copy of the real large-scale export whose header lost one column name."""
    broken = tmp_path / "large_scale_ai_models.csv"
    body = (REPLAY_EPOCH / "large_scale_ai_models.csv").read_bytes()
    broken.write_bytes(body.replace(b"," + column + b",", b",Accessibility,", 1))
    return broken


LARGE_SCALE_URL = "https://epoch.ai/data/large_scale_ai_models.csv"


def break_recording(tmp_path: Path, monkeypatch) -> None:
    """Epoch's usual large-scale URL now serves an export missing a column."""
    body = without_column(tmp_path, b"Model accessibility").read_bytes()
    replay_with(tmp_path, monkeypatch, "epoch/large_scale_ai_models.csv", body)


def test_missing_column_with_no_earlier_copy_publishes_nothing(warehouse, tmp_path, monkeypatch):
    break_recording(tmp_path, monkeypatch)
    with pytest.raises(RunFailed) as err:
        run(warehouse)
    summary = err.value.summary
    assert summary.errors == [
        f"epoch.large_scale: {LARGE_SCALE_URL}: required column 'Model accessibility' is missing"
    ]
    assert err.value.why == (
        "epoch.large_scale failed with no earlier copy to carry over; nothing published"
    )
    assert summary.sources["epoch.large_scale"]["status"] == "failed"
    assert summary.sources["epoch.notable"]["status"] == "ok"
    assert open_store(warehouse).list_snapshots() == []


def test_broken_source_carries_over_its_last_good_copy_as_stale(warehouse, tmp_path, monkeypatch):
    good = run(warehouse)
    store = open_store(warehouse)
    before = store.read_table("models")
    break_recording(tmp_path, monkeypatch)

    degraded = run(warehouse)
    assert degraded.status == "published"
    info = degraded.sources["epoch.large_scale"]
    assert info["status"] == "stale"
    assert info["error"] == f"{LARGE_SCALE_URL}: required column 'Model accessibility' is missing"
    assert info["stale_since"] == good.sources["epoch.large_scale"]["retrieved_at"]
    assert info["sha256"] == good.sources["epoch.large_scale"]["sha256"]
    assert degraded.sources["epoch.notable"]["status"] == "ok"

    after = store.read_table("models")
    volatile = ["first_seen", "last_seen"]
    assert after.drop(columns=volatile).equals(before.drop(columns=volatile))
    records = store.read_table("source_records")
    keys = records["source"] + "." + records["dataset"]
    keys = keys.where(records["source"] != "feeds", "feeds")
    assert records.groupby(keys)["stale"].agg(["sum", "size"]).to_dict("index") == {
        "feeds": {"sum": 0, "size": 2179},
        "epoch.frontier": {"sum": 0, "size": 137},
        "epoch.large_scale": {"sum": 510, "size": 510},
        "epoch.notable": {"sum": 0, "size": 1011},
        "huggingface.details": {"sum": 0, "size": 4},
        "huggingface.trending": {"sum": 0, "size": 15},
        "modelsdev.models": {"sum": 0, "size": 231},
        "openrouter.models": {"sum": 0, "size": 336},
    }

    listed = CliRunner().invoke(app, ["snapshots", "--warehouse", str(warehouse), "--json"])
    assert [s["stale"] for s in json.loads(listed.stdout)] == [
        {},
        {"epoch.large_scale": good.sources["epoch.large_scale"]["retrieved_at"]},
    ]
    monkeypatch.delenv("LANDSCAPE_REPLAY_DIR")
    recovered = run(warehouse)
    assert recovered.status == "published"
    assert recovered.sources["epoch.large_scale"]["status"] == "ok"
    assert not store.read_table("source_records")["stale"].any()


def test_an_explicit_source_url_that_fails_publishes_nothing(warehouse, tmp_path):
    """An operator's URL is what they asked for: its failure fails the run, even with an
    earlier copy of the dataset in the store (that carry-over is for the usual URLs)."""
    good = run(warehouse)
    before = store_state(warehouse)
    typo = tmp_path / "nope.csv"
    with pytest.raises(RunFailed) as err:
        run(warehouse, source_urls={"epoch.large_scale": str(typo)})
    assert err.value.why == (
        "epoch.large_scale failed at the URL given with --source-url (an explicit URL is "
        "never carried over); nothing published"
    )
    assert err.value.summary.exit_code == 1
    assert err.value.summary.sources["epoch.large_scale"]["status"] == "failed"
    assert store_state(warehouse) == before
    assert open_store(warehouse).latest_id() == good.snapshot_id


@pytest.fixture
def http_mirror():
    """A real HTTP server on 127.0.0.1 serving the recorded exports."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(REPLAY_EPOCH))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_live_fetch_over_http_equals_replay(warehouse, http_mirror):
    replayed = run(warehouse, sources=["epoch"])
    live = refresh_landscape(
        mode="live", sources=["epoch"], source_urls={"epoch": http_mirror}, warehouse=str(warehouse)
    )
    assert live.status == "unchanged"
    assert live.latest_id == replayed.snapshot_id
    assert live.sources["epoch.notable"]["url"] == f"{http_mirror}/notable_ai_models.csv"
    assert live.sources["epoch.notable"]["http_status"] == 200


def test_source_down_is_named_and_publishes_nothing(warehouse, http_mirror):
    with pytest.raises(RunFailed) as err:
        refresh_landscape(
            mode="live",
            sources=["epoch"],
            source_urls={"epoch": http_mirror, "epoch.frontier": f"{http_mirror}/gone.csv"},
            warehouse=str(warehouse),
        )
    assert err.value.summary.errors == [f"epoch.frontier: {http_mirror}/gone.csv: HTTP 404"]
    assert err.value.summary.sources["epoch.large_scale"]["status"] == "ok"
    assert open_store(warehouse).list_snapshots() == []


def test_first_seen_survives_a_newer_export(warehouse):
    """The 2025-02-24 notable export, then the 2026-05-02 one: a new snapshot whose models
    seen in both keep their first_seen, while models new in 2026 get the second run's time."""
    older = Path(__file__).resolve().parents[2] / "data/recorded/epoch"
    first = run(
        warehouse,
        sources=["epoch.notable"],
        source_urls={"epoch.notable": str(older / "notable_ai_models_2025-02-24.csv")},
    )
    with pytest.raises(RunFailed) as blocked:
        run(warehouse, sources=["epoch.notable"])
    assert "events.removals_below_share" in str(blocked.value)  # 167 of 895: over 10%
    second = run(warehouse, sources=["epoch.notable"], max_removed_share=0.25)  # reviewed
    assert first.status == second.status == "published"
    assert first.rows["models"] == 895
    assert second.rows["models"] == 1011

    store = open_store(warehouse)
    assert store.manifest("latest")["parent_id"] == first.snapshot_id
    old = store.read_table("models", first.snapshot_id).set_index("model_id")
    new = store.read_table("models").set_index("model_id")
    both = old.index.intersection(new.index)
    # The rest were renamed or dropped by Epoch. Kept since ids are canonical and sticky:
    # `google/audiolm`, `google/vit-g-14-lit` (Epoch: Google -> Google Research),
    # `z.ai-zhipu-ai/chatglm3-6b` and `/glm-4-0520` (Zhipu AI -> Z.ai (Zhipu AI)), and
    # `zhejiang-university/ontoprotein`, whose record keeps the id it had although Epoch now
    # writes "Zhejiang University (ZJU)".
    assert len(both) == 728
    ontoprotein = new.loc["zhejiang-university/ontoprotein"]
    assert (ontoprotein["name"], list(ontoprotein["organizations"])) == (
        "OntoProtein",
        ["Zhejiang University (ZJU)"],
    )
    assert (new.loc[both, "first_seen"] == old.loc[both, "first_seen"]).all()
    added = new.index.difference(old.index)
    assert (new.loc[added, "first_seen"] == new.loc[added, "last_seen"]).all()
    assert (new.loc[added, "first_seen"] > old["first_seen"].max()).all()

    events = store.read_table("events")
    counts = events["event_type"].value_counts().to_dict()
    assert counts == {
        "model_added": 283,
        "model_removed": 167,
        "access_changed": 91,  # + audiolm, vit-g-14-lit, ontoprotein, now matched across runs
        "compute_revised": 79,
        "license_changed": 33,  # licences read from Epoch's accessibility notes
        "release_date_changed": 3,
    }
    assert len(added) == 283
    removed = events[events["event_type"] == "model_removed"]
    assert set(removed["evidence"]) == {f"snapshot:{first.snapshot_id}"}
    assert (events["detected_at"] == new["last_seen"].iloc[0]).all()


def truncated_copy(tmp_path: Path, share: float) -> Path:
    """The real large-scale export cut after `share` of its records, at a record boundary."""
    import pandas as pd

    frame = pd.read_csv(
        REPLAY_EPOCH / "large_scale_ai_models.csv", dtype=str, keep_default_na=False
    )
    path = tmp_path / "large_scale_ai_models.csv"
    frame.head(int(len(frame) * share)).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("40% of the rows", "epoch.large_scale"),
        ("every record twice", "records_epoch.key_nearly_unique"),
    ],
)
def test_a_blocked_run_leaves_the_previous_snapshot_latest_byte_for_byte(
    warehouse, tmp_path, case, expected
):
    good = run(warehouse, sources=["epoch"])
    before = store_state(warehouse)
    if case == "40% of the rows":
        broken = truncated_copy(tmp_path, 0.4)
    else:
        header, _, rows = (REPLAY_EPOCH / "large_scale_ai_models.csv").read_bytes().partition(b"\n")
        broken = tmp_path / "large_scale_ai_models.csv"
        broken.write_bytes(header + b"\n" + rows + rows)
    with pytest.raises(RunFailed) as err:
        run(warehouse, sources=["epoch"], source_urls={"epoch.large_scale": str(broken)})
    assert err.value.why == "validation failed; nothing published"
    assert expected in str(err.value)
    assert store_state(warehouse) == before
    assert open_store(warehouse).latest_id() == good.snapshot_id


def test_a_missing_recording_fails_that_source_and_carries_it_over(
    warehouse, tmp_path, monkeypatch
):
    first = run(warehouse)
    replay = replay_with(tmp_path, monkeypatch, "openrouter", None)  # its recording is gone
    second = run(warehouse)
    info = second.sources["openrouter.models"]
    assert info["status"] == "stale"
    assert info["error"] == (
        f"https://openrouter.ai/api/v1/models: no recorded response in {replay}/*/index.json"
    )
    assert info["stale_since"] == first.sources["openrouter.models"]["retrieved_at"]
    assert second.status == "published"
    records = open_store(warehouse).read_table("source_records")
    stale = records[records["stale"]]
    assert (stale["source"].unique().tolist(), len(stale)) == (["openrouter"], 336)


def test_no_token_reaches_the_warehouse(warehouse, http_mirror, monkeypatch):
    from ai_landscape import settings

    secret = "hf_" + "Z" * 34
    monkeypatch.setenv("HF_TOKEN", secret)
    monkeypatch.setitem(settings.HOST_TOKENS, "127.0.0.1", "HF_TOKEN")  # sent to the mirror
    live = refresh_landscape(
        mode="live", sources=["epoch"], source_urls={"epoch": http_mirror}, warehouse=str(warehouse)
    )
    assert live.status == "published"
    leaked = [p for p in warehouse.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaked == []
