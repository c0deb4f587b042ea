"""`landscape run --accept-count-change DATASET[,DATASET]`: a reviewed record-count jump
publishes, for one run, and the manifest says so (issue 12)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.pipeline.review import parse_datasets
from ai_landscape.publish.warehouse import open_store
from ai_landscape.validate.gate import gate
from tests.conftest import RECORDED_EPOCH
from tests.replay_values import replay_frames

# Epoch's large-scale export of 2025-05 held 311 records (the figure; that file is not
# recorded here); the replay's 2026-05-02 export holds 510: outside the 70-150% band.
PREVIOUS_LARGE_SCALE = 311


def test_the_band_blocks_a_year_of_change_unless_it_was_reviewed(tmp_path):
    records = {"epoch.large_scale": replay_frames("epoch")["large_scale"][0]}
    assert len(records["epoch.large_scale"]) == 510
    previous = {"epoch.large_scale": PREVIOUS_LARGE_SCALE}
    blocked = gate({}, records, previous, "run")
    assert not blocked.publishable
    assert len(blocked.blocking) == 1
    assert blocked.blocking[0].startswith("epoch.large_scale records: records_epoch.")
    assert "(previous run: 311 records)" in blocked.blocking[0]
    accepted = gate({}, records, previous, "run", accept_count_change=["epoch.large_scale"])
    assert accepted.publishable
    assert accepted.blocking == []


def test_only_dataset_keys_are_accepted():
    assert parse_datasets("epoch.large_scale, epoch.notable,epoch.large_scale") == [
        "epoch.large_scale",
        "epoch.notable",
    ]
    with pytest.raises(ValueError, match="unknown dataset 'epoch'"):
        parse_datasets("epoch")


def test_cli_refuses_an_unknown_dataset(tmp_path):
    result = CliRunner().invoke(
        app,
        ["run", "--mode", "replay", "--warehouse", str(tmp_path), "--accept-count-change", "x.y"],
    )
    assert result.exit_code == 2
    assert "--accept-count-change: unknown dataset 'x.y'" in result.output


def test_two_real_vintages_publish_with_the_review_in_the_manifest(prefect_harness, tmp_path):
    from ai_landscape.flow import refresh_landscape

    warehouse = str(tmp_path / "warehouse")
    older = str(RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv")
    first = refresh_landscape(
        mode="replay",
        sources=["epoch.notable"],
        source_urls={"epoch.notable": older},
        warehouse=warehouse,
    )
    second = refresh_landscape(
        mode="replay",
        sources=["epoch.notable"],
        warehouse=warehouse,
        accept_count_change=["epoch.notable"],
        max_removed_share=0.25,
    )
    assert first.status == second.status == "published"
    store = open_store(warehouse)
    manifest = store.manifest(second.snapshot_id)
    assert manifest["review"] == {
        "max_removed_share": 0.25,
        "accept_count_change": {"epoch.notable": {"previous_records": 895, "records": 1011}},
    }
    assert store.manifest(first.snapshot_id)["review"]["accept_count_change"] == {}
    events = store.read_table("events", second.snapshot_id)
    # The real changes of a year of Epoch's notable list: models it added and dropped (or
    # renamed), and facts it revised.
    assert events["event_type"].value_counts().sort_index().to_dict() == {
        "access_changed": 91,
        "compute_revised": 79,
        "license_changed": 33,
        "model_added": 283,
        "model_removed": 167,
        "release_date_changed": 3,
    }
