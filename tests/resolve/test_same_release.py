"""One release under several ids is one model (issue 12), and only those join.

`same_release.csv` lists hand-checked pairs of real replay records that name one release: a
provider's dated id (`gpt-4o-2024-08-06`, `deepseek-r1-0528`, `claude-opus-4-20250514`,
`gemini-2.5-pro-preview-05-06`), an alias (`claude-opus-4-0`, `pixtral-large-latest`) or a
product nickname (`Gemini 2.5 Flash Image (Nano Banana)`). Asserted both ways: each pair
shares a model id, every pair `distinct_versions.csv` keeps apart stays apart, and every join
the dated-release step makes is one this list names.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from ai_landscape.resolve import releases
from tests.resolve.test_links import all_candidates
from tests.resolve.test_resolution_pairs import records, resolved, resolved_without

SAME = Path(__file__).with_name("same_release.csv")


def load_same() -> pd.DataFrame:
    return pd.read_csv(SAME, dtype=str, keep_default_na=False)


@cache
def resolved_without_release_joins() -> pd.DataFrame:
    return resolved_without(releases, "join_dated", lambda original: lambda frame, labels: labels)


def test_every_pair_names_two_existing_records():
    pairs = load_same()
    frame = all_candidates()
    assert len(pairs) == 26
    assert not pairs.duplicated(["source_a", "key_a", "source_b", "key_b"]).any()
    for row in pairs.itertuples():
        assert len(records(frame, row.source_a, row.key_a)), row
        assert len(records(frame, row.source_b, row.key_b)), row
        assert row.why.strip(), row


def test_each_pair_is_one_model():
    frame = resolved()
    failures = []
    for row in load_same().itertuples():
        a = set(records(frame, row.source_a, row.key_a)["model_id"])
        b = set(records(frame, row.source_b, row.key_b)["model_id"])
        if len(a | b) != 1 or None in a | b:
            failures.append((row.key_a, sorted(a, key=str), row.key_b, sorted(b, key=str)))
    assert failures == []


def test_every_release_join_is_a_hand_checked_pair():
    """The dated-release step joins nothing the list does not name (the other direction):
    the models it merges into one are connected by the list's pairs."""
    after = resolved()
    before = resolved_without_release_joins()
    catalogue = (after["source"] != "feeds").to_numpy()
    moved = pd.DataFrame({"after": after["model_id"], "before": before["model_id"]})[catalogue]
    merged = moved.dropna().drop_duplicates().groupby("after")["before"].agg(set)
    merged = merged[merged.str.len() > 1]
    edges = set()
    for r in load_same().itertuples():
        a = set(records(before, r.source_a, r.key_a)["model_id"])
        b = set(records(before, r.source_b, r.key_b)["model_id"])
        edges |= {(x, y) for x in a for y in b if x != y}
    groups = _components(edges)
    unlisted = {
        model: sorted(ids)
        for model, ids in merged.items()
        if len({groups.get(i, i) for i in ids}) > 1
    }
    assert unlisted == {}
    assert len(merged) == 17


def _components(pairs: set[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {x: root(x) for x in list(parent)}


@pytest.mark.parametrize(
    ("slug", "base", "date"),
    [
        ("gpt-4o-2024-08-06", "gpt-4o", "2024-08-06"),
        ("claude-opus-4-20250514", "claude-opus-4", "2025-05-14"),
        ("deepseek-r1-0528", "deepseek-r1", "2025-05-28"),
        ("gemini-2.5-pro-preview-05-06", "gemini-2.5-pro", "2025-05-06"),
        ("mistral-large-2411", "mistral-large", "2024-11-01"),
        ("command-a-03-2025", "command-a", "2025-03-01"),
        ("claude-opus-4-0", "claude-opus-4", "2025-05-22"),
        ("codestral-latest", "codestral", "2025-05-22"),
    ],
)
def test_provider_stamps_read_as_dates(slug, base, date):
    found = releases.stamped(pd.Series([slug]), pd.Series([pd.Timestamp("2025-05-22")]))
    assert found[["base", "date"]].to_dict("records") == [
        {"base": base, "date": pd.Timestamp(date)}
    ]


def test_names_without_a_stamp_are_left_alone():
    slugs = pd.Series(["gpt-4o", "llama-3.1-405b", "qwen3-235b-a22b", "claude-opus-4.5"])
    assert releases.stamped(slugs, pd.Series([pd.Timestamp("2025-01-01")] * 4)).empty


def test_a_release_date_the_records_own_id_contradicts_is_dropped():
    """models.dev dates `mistral-large-2512` (Mistral Large 3, December 2025) 2024-11-01, as it
    dates its `mistral-large-latest` alias; OpenRouter's listing date then stands."""
    frame = resolved()
    dated = {
        key: records(frame, source, key)["release_date"].tolist()
        for source, key in (
            ("modelsdev", "mistral/mistral-large-2512"),
            ("modelsdev", "mistral/mistral-large-latest"),
            ("openrouter", "mistralai/mistral-large-2512"),
        )
    }
    assert dated == {
        "mistral/mistral-large-2512": [None],
        "mistral/mistral-large-latest": [None],
        "mistralai/mistral-large-2512": [pd.Timestamp("2025-12-01").date()],
    }
    assert set(records(frame, "modelsdev", "mistral/mistral-large-2512")["model_id"]) == {
        "mistral-ai/mistral-large-2512"
    }
