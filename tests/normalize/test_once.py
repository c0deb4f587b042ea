"""The reference tables are built once per process, however many ingest threads ask at once."""

from __future__ import annotations

import csv
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ai_landscape.normalize import announcement_rules, licenses, model_names, organizations
from ai_landscape.normalize.once import built_once
from ai_landscape.normalize.text import slugify_lists

THREADS = 8


@pytest.fixture
def slug_calls(monkeypatch):
    """Every slug pass of the two table builds (the names it slugified), each slowed a little
    so that threads arriving together overlap inside a build (as the run's 21 ingest threads
    do)."""
    calls: list[int] = []

    def counting(names):
        calls.append(sum(len(row) for row in names))
        time.sleep(0.005)
        return slugify_lists(names)

    monkeypatch.setattr(organizations, "slugify_lists", counting)
    monkeypatch.setattr(licenses, "slugify_lists", counting)
    organizations.reference.cache_clear()
    licenses.aliases.cache_clear()
    yield calls
    organizations.reference.cache_clear()
    licenses.aliases.cache_clear()


def test_threads_asking_together_build_each_table_once(slug_calls):
    barrier = threading.Barrier(THREADS)

    def ask(_):
        barrier.wait()
        return organizations.reference(), licenses.aliases()

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(THREADS)))
    with open(organizations.ORGANIZATIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = len(rows) + sum(len([a for a in r["aliases"].split("|") if a]) for r in rows)
    aliases = sum(
        len([a for a in r["aliases"].split("|") if a]) + bool(r["id"]) for r in licenses._rows()
    )
    # One slugify call over every name of each table (178 and 393 today): one build each, not
    # one per thread.
    assert sorted(slug_calls) == sorted([names, aliases])
    assert all(a[0] is answers[0][0] and a[1] is answers[0][1] for a in answers)


def test_built_once_keys_by_arguments_and_does_not_keep_failures():
    calls = []

    @built_once
    def table(kind: str) -> tuple[str, int]:
        calls.append(kind)
        if kind == "broken":
            raise ValueError("broken table")
        return kind, len(calls)

    assert [table("a"), table("b"), table("a")] == [("a", 1), ("b", 2), ("a", 1)]
    for _ in range(2):
        with pytest.raises(ValueError, match="broken table"):
            table("broken")
    assert calls == ["a", "b", "broken", "broken"]
    table.cache_clear()
    assert table("a") == ("a", 5)


def test_threads_asking_together_compile_the_announcement_rules_once(monkeypatch):
    """The 14 feed ingests ask for the vocabulary and its compiled rules at the same moment;
    with `functools.cache` each compiled them itself (0.55 s each: a fifth of a replay run's
    CPU, issue #17)."""
    builds = []

    def counting(*patterns):
        builds.append(threading.get_ident())
        time.sleep(0.05)  # threads arriving together overlap inside the build
        return rules(*patterns)

    rules = announcement_rules.rules
    monkeypatch.setattr(announcement_rules, "rules", counting)
    for cached in (model_names.vocabulary, model_names.Vocabulary.patterns):
        cached.cache_clear()
    announcement_rules.compiled.cache_clear()
    barrier = threading.Barrier(THREADS)

    def ask(_):
        barrier.wait()
        words = model_names.vocabulary()
        return words, words.patterns(), announcement_rules.compiled(words)

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            answers = list(pool.map(ask, range(THREADS)))
    finally:
        announcement_rules.compiled.cache_clear()
    assert len(builds) == 1
    assert all(a[i] is answers[0][i] for a in answers for i in range(3))
