"""A run of feed datasets alone: no catalogue to attach announcements to, still a snapshot."""

from __future__ import annotations

import pytest

from ai_landscape.flow import refresh_landscape
from ai_landscape.publish.warehouse import open_store

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_feed_alone_publishes_its_announcements_and_no_models(warehouse):
    # Before: resolution crashed in name_clusters.cluster_ids (ufunc 'add' on an empty float column)
    # because every candidate was a feed item, which may join a model but never make one.
    summary = refresh_landscape(
        mode="replay", warehouse=str(warehouse), sources=["feeds.qwen_blog"]
    )
    assert summary.status == "published"
    assert summary.rows["models"] == 0
    assert summary.rows["announcements"] == 44
    store = open_store(warehouse)
    announcements = store.read_table("announcements")
    assert set(announcements["feed"]) == {"qwen_blog"}
    # 39 of the 44, by the shipped classifier (docs/announcements.md; the rules alone said 38).
    assert announcements["is_model_announcement"].sum() == 39
    records = store.read_table("source_records")
    assert len(records) == 44
    assert records["model_id"].isna().all()
