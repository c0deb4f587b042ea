"""Why an open model of the listed labs takes no licence from a weights repo (issue 12).

The goal (90% of those models licensed by their repo) is measured in `fidelity.py`; this says,
model by model, what keeps the rest from it, so the gap is explained by counts and not
guessed. Each model gets the first reason that holds:

- `repo licence other or blank`: it names a repo of the Hub's per-lab listing, and the
  licence recorded there is `other` (a licence outside the Hub's list; the recorded dump kept
  no `license_name`) or none: Epoch's named licence stands, or none;
- `repo not in listing, newer`: a catalogue names its repo, but the listing does not hold it
  and the model came out after the listing was recorded (Qwen3.5, DeepSeek V4, Gemma 4);
- `repo not in listing`: a catalogue names a repo of another namespace (`Wan-AI/...`,
  `facebook/...`) that the listing does not cover;
- `no repo, newer`: no repo named, released after the listing;
- `no repo, family in listing`: no repo named, though the lab's listing has repos of that
  name's family (another version or size, two candidate checkpoints, a name without
  number): no rule may choose one;
- `no repo, family not in listing`: no repo of the name in the lab's listed namespaces:
  weights in another namespace (Meta's `facebook/*`, Google's `google-t5`, legacy bare ids)
  or not on the Hub at all (AlphaFold, GraphCast on GitHub).
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.resolve.name_keys import name_keys

REASONS = (
    "repo licence other or blank",
    "repo not in listing, newer",
    "repo not in listing",
    "no repo, newer",
    "no repo, family in listing",
    "no repo, family not in listing",
)
HUB = "huggingface"


def listing_date(sources: dict, dataset: str = "huggingface.authors") -> pd.Timestamp | None:
    """When the per-lab listing was recorded (replay) or fetched (live): its newest page."""
    documents = (sources or {}).get(dataset, {}).get("documents") or []
    stamps = [d.get("recorded_at") or d.get("retrieved_at") for d in documents]
    stamps = [s for s in stamps if s]
    return pd.Timestamp(max(stamps)).tz_convert(None).normalize() if stamps else None


def gap_reasons(
    chosen: pd.DataFrame, from_repo: pd.Series, models: pd.DataFrame, listed_on: pd.Timestamp
) -> pd.Series:
    """Per model of `chosen` not licensed by its repo (`from_repo` False): its reason
    (REASONS). `models`: the whole table, whose Hub-listed models give the lab's repo names;
    `listed_on`: the listing's date (None: no model counts as newer)."""
    rest = chosen[~from_repo.to_numpy()]
    names_repo = rest["hf_repo_ids"].str.len().gt(0)
    on_hub = rest["sources"].map(lambda s: HUB in s).astype(bool)
    released = pd.to_datetime(rest["release_date"], errors="coerce")
    newer = released.gt(listed_on) if listed_on is not None else pd.Series(False, rest.index)
    family = _family_in_listing(rest, models)
    reason = pd.Series(REASONS[5], index=rest.index, dtype=object)
    reason = reason.mask(family, REASONS[4]).mask(newer, REASONS[3])
    reason = reason.mask(names_repo, REASONS[2]).mask(names_repo & newer, REASONS[1])
    return reason.mask(names_repo & on_hub, REASONS[0])


def gap_counts(reasons: pd.Series) -> dict[str, int]:
    counts = reasons.value_counts()
    return {r: int(counts.get(r, 0)) for r in REASONS}


def _family_in_listing(rest: pd.DataFrame, models: pd.DataFrame) -> pd.Series:
    """Whether a repo of the lab's listing carries every word of the model's name (words of
    two letters or more; all its words where it has none such)."""
    hub = models[models["sources"].map(lambda s: HUB in s).astype(bool)]
    repos = hub[["organizations", "hf_repo_ids"]].explode("hf_repo_ids").dropna()
    repo_words = _words(repos["hf_repo_ids"].str.split("/").str[-1], repos["organizations"].str[0])
    by_org = repo_words.groupby(repos["organizations"].str[0].to_numpy()).agg(list)
    own = _words(rest["name"], rest["organizations"].str[0])
    lead = rest["organizations"].str[0]
    found = [
        bool(words) and any(words <= repo for repo in by_org.get(org, []))
        for words, org in zip(own, lead, strict=True)
    ]
    return pd.Series(found, index=rest.index)


def _words(names: pd.Series, organizations: pd.Series) -> pd.Series:
    """Each name's words but its numbers (name_keys' `qualifiers` and `words`) as a set;
    `organizations`: lead names, whose words are dropped."""
    keys = name_keys(names.reset_index(drop=True), organizations.reset_index(drop=True))
    words = (keys["qualifiers"] + " " + keys["words"]).str.split().map(set)
    long = words.map(lambda w: {x for x in w if len(x) > 1})
    return long.where(long.str.len() > 0, words).set_axis(names.index)
