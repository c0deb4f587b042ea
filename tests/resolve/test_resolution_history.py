"""Events of two real export sequences equal an independent comparison of the files.

The expected changes are computed here with plain `csv`/`json` code that shares nothing with
the pipeline (no parser, normalizer or resolver of ours), so a resolver that merged, split or
renamed models wrongly between runs would show up as a difference.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from ai_landscape.flow import refresh_landscape
from ai_landscape.publish.warehouse import open_store
from ai_landscape.settings import PROJECT_ROOT
from tests.conftest import RECORDED_EPOCH, REPLAY_EPOCH
from tests.replay_copies import replay_with

pytestmark = pytest.mark.usefixtures("prefect_harness")

OPENROUTER_OLD = PROJECT_ROOT / "data" / "recorded" / "openrouter" / "models_2026-05-15.json"
OPENROUTER_NEW = PROJECT_ROOT / "data" / "replay" / "openrouter" / "models.json"
# Epoch's access labels, written out here rather than imported.
ACCESS = {
    "Open weights (unrestricted)": "open_unrestricted",
    "Open weights (restricted use)": "open_restricted",
    "Open weights (non-commercial)": "open_noncommercial",
    "API access": "api",
    "Hosted access (no API)": "hosted",
    "Unreleased": "unreleased",
    "": "unknown",
}


def name_key(name: str) -> str:
    """A spelling-proof name: Epoch renamed `Grok-3` to `Grok 3` between the two exports."""
    return "-".join(re.findall(r"[a-z0-9.+]+", name.replace("\ufeff", "").lower()))


def epoch_rows(path: Path) -> dict[str, dict[str, str]]:
    """Name key -> row."""
    text = path.read_text(encoding="utf-8-sig")
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = name_key(row.get("Model", row.get("System", "")))
        if key:
            rows[key] = row
    return rows


def compute(row: dict[str, str]) -> float | None:
    cell = row.get("Training compute (FLOP)", "").strip()
    return float(cell) if cell else None


def two_runs(root: Path, dataset: str, older: Path, **second) -> tuple[str, str]:
    first = refresh_landscape(
        mode="replay", sources=[dataset], source_urls={dataset: str(older)}, warehouse=str(root)
    )
    later = refresh_landscape(mode="replay", sources=[dataset], warehouse=str(root), **second)
    assert (first.status, later.status) == ("published", "published")
    return first.snapshot_id, later.snapshot_id


def test_epoch_notable_events_equal_a_comparison_of_the_two_exports(tmp_path):
    old = epoch_rows(RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv")
    new = epoch_rows(REPLAY_EPOCH / "notable_ai_models.csv")
    both = old.keys() & new.keys()
    expected = {
        "model_added": new.keys() - old.keys(),
        "model_removed": old.keys() - new.keys(),
        "access_changed": {
            n
            for n in both
            if ACCESS[old[n]["Model accessibility"]] != ACCESS[new[n]["Model accessibility"]]
        },
        "compute_revised": {
            n
            for n in both
            if (compute(old[n]) is None) != (compute(new[n]) is None)
            or (
                compute(old[n]) and not math.isclose(compute(old[n]), compute(new[n]), rel_tol=1e-9)
            )
        },
    }
    store = open_store(tmp_path / "warehouse")
    first, second = two_runs(
        store.root,
        "epoch.notable",
        RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv",
        max_removed_share=0.25,
    )
    events = store.read_table("events", second)
    # Events name model ids; the records of each snapshot say which Epoch name each id is.
    names = {}
    for snapshot in (first, second):
        records = store.read_table("source_records", snapshot)
        names.update(zip(records["model_id"], records["source_key"].map(name_key), strict=True))
    found = {
        kind: {names[m] for m in events.loc[events["event_type"] == kind, "model_id"]}
        for kind in expected
    }
    assert {k: len(v) for k, v in found.items()} == {k: len(v) for k, v in expected.items()}
    assert found == expected
    assert {k: len(v) for k, v in found.items()} == {
        "model_added": 283,
        "model_removed": 167,
        "access_changed": 91,
        "compute_revised": 79,
    }


def openrouter_ids(path: Path) -> set[str]:
    """A file's model ids, a free tier (`x:free`) counted as its model `x`; `~` aliases
    (`~openai/gpt-latest`) point at another listed model and are not models."""
    data = json.loads(path.read_bytes())["data"]
    return {re.sub(r":[^/]*$", "", m["id"]) for m in data if not m["id"].startswith("~")}


def test_openrouter_added_and_removed_equal_the_set_differences_of_the_two_files(tmp_path):
    old, new = openrouter_ids(OPENROUTER_OLD), openrouter_ids(OPENROUTER_NEW)
    store = open_store(tmp_path / "warehouse")
    first, second = two_runs(store.root, "openrouter.models", OPENROUTER_OLD, max_removed_share=0.5)
    events = store.read_table("events", second)
    ids_of = {}
    for snapshot in (first, second):
        records = store.read_table("source_records", snapshot)
        keys = records["source_key"].str.replace(r":[^/]*$", "", regex=True)
        for model_id, key in zip(records["model_id"], keys, strict=True):
            ids_of.setdefault(model_id, set()).add(key)

    def keys(kind: str) -> set[str]:
        chosen = events.loc[events["event_type"] == kind, "model_id"]
        return set().union(*(ids_of[m] for m in chosen))

    assert (len(new - old), len(old - new)) == (
        len(keys("model_added")),
        len(keys("model_removed")),
    )
    assert (len(new - old), len(old - new)) == (49, 71)
    assert keys("model_added") == new - old
    assert keys("model_removed") == old - new


def test_a_failed_source_produces_no_removals(tmp_path, monkeypatch):
    store = open_store(tmp_path / "warehouse")
    sources = ["openrouter.models", "modelsdev"]
    first = refresh_landscape(mode="replay", sources=sources, warehouse=str(store.root))
    # OpenRouter is down today: its last good copy is carried over, marked stale, and none of
    # its 317 models may read as removed although today's run got nothing from it.
    replay_with(tmp_path, monkeypatch, "openrouter", None)
    second = refresh_landscape(mode="replay", sources=sources, warehouse=str(store.root))
    # Published: the records now say `stale`.
    assert (first.status, second.status) == ("published", "published")
    assert second.sources["openrouter.models"]["status"] == "stale"
    assert second.sources["modelsdev.models"]["status"] == "ok"
    events = store.read_table("events", second.snapshot_id)
    assert len(events) == 0
    before = store.read_table("models", first.snapshot_id)
    after = store.read_table("models", second.snapshot_id)
    assert len(after) == len(before) == 400
    assert set(after["model_id"]) == set(before["model_id"])
