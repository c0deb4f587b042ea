"""One release under several ids: a provider's dated id, an alias, a product nickname.

Epoch's granularity decides what one model is. Providers name the same release otherwise:

- a dated id (`gpt-4o-2024-08-06`, `deepseek-r1-0528`, `claude-opus-4-20250514`,
  `gemini-2.5-pro-preview-05-06`, Mistral's `-2411` year-month, Cohere's `-08-2024`) is
  the release of that date: Epoch's `GPT-4o (Aug 2024)`, `DeepSeek-R1 (May 2025)`,
  `Claude Opus 4`;
- an alias (`-latest`, Anthropic's `-4-0`) is the release it points to, the one nearest its
  own listing date;
- a product nickname in parentheses (`Gemini 2.5 Flash Image (Nano Banana)`) names its model.

Name keys (`names.py`) keep every number, so a date stamp makes a different key and the
release stays apart from itself. Here the stamp is cut off and read as a date; the record
joins the release of the same organization and name key (Epoch's month qualifier cut off
too) whose date is nearest, within MAX_DAYS. Releases that are really different keep their
own dates and stay apart (GPT-4o Aug vs Nov 2024, DeepSeek-R1 vs R1 (May 2025)); a stamped
record whose own group already holds an Epoch record is Epoch's own name and is left alone
(`DeepSeek-V3-0324` is an Epoch model). Pure; a loop over the few stamped groups only.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.text import split_namespaced
from ai_landscape.resolve.name_keys import QUALIFIER_WORDS, name_keys, tokens

MAX_DAYS = 31
TARGET_SOURCE = "epoch"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Epoch's "(Aug 2024)" qualifier on a later release of a model.
EPOCH_MONTH = r"(?i)\s*\((?:" + "|".join(_MONTHS) + r")[a-z]*\.? \d{4}\)\s*$"
# A product nickname: a parenthesis of capitalized words and no digits, on a recent model
# (older Epoch names put a data set or a size there: "(ImageNet)", "(large)").
NICKNAME = r"^(.*\S)\s*\(((?:[A-Z][\w-]*)(?: [A-Z][\w-]*)*)\)\s*$"
NICKNAME_SINCE = 2023
# Provider stamps on a slug, tried in order: (pattern, how to read the date parts).
STAMPS = (
    (r"^(.+?)-(?:preview-)?(20\d\d)-?(\d\d)-?(\d\d)$", "ymd"),
    (r"^(.+?)-(\d\d)-(20\d\d)$", "my"),
    (r"^(.+?)-(?:preview-)?(\d\d)-(\d\d)$", "md"),
    (r"^(.+?)-(\d\d)(\d\d)$", "mmdd_or_yymm"),
    (r"^(.+?)-latest$", "alias"),
    (r"^(.+\d)-0$", "alias"),
)


def nickname_free(frame: pd.DataFrame) -> pd.Series:
    """An Epoch name without its product nickname, for records of NICKNAME_SINCE on; null
    else. Epoch's only: other catalogues put variants in parentheses (`(Thinking)`,
    `(Fast)`), and a nickname of qualifier words alone is a variant too."""
    parts = frame["name"].astype(object).str.extract(NICKNAME)
    inner = tokens(parts[1].fillna(""))
    plain = inner.explode().dropna()
    named = (~plain.isin(QUALIFIER_WORDS)).groupby(level=0).any().reindex(frame.index)
    year = pd.to_datetime(frame["release_date"], errors="coerce").dt.year
    keep = frame["source"].eq(TARGET_SOURCE) & year.ge(NICKNAME_SINCE) & named.fillna(False)
    return parts[0].where(keep.to_numpy())


def _stamp_dates(parts: pd.DataFrame, kind: str, own: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The date a stamp names (the record's own date for an alias or a year-less stamp), and
    whether the stamp names its year itself."""
    if kind == "alias":
        return own, pd.Series(False, index=parts.index)
    a = pd.to_numeric(parts[1], errors="coerce")
    b = pd.to_numeric(parts[2], errors="coerce")
    year = own.dt.year
    absolute = pd.Series(kind in ("ymd", "my"), index=parts.index)
    if kind == "ymd":
        year, month, day = a, b, pd.to_numeric(parts[3], errors="coerce")
    elif kind == "my":
        year, month, day = b, a, pd.Series(1, index=parts.index)
    elif kind == "md":
        month, day = a, b
    else:  # 0528 is May 28 (of the record's year); 2411 is November 2024 (Mistral)
        mmdd = a.between(1, 12) & b.between(1, 31)
        month = a.where(mmdd, b)
        day = b.where(mmdd, 1)
        year = year.where(mmdd, 2000 + a)
        absolute = ~mmdd
    text = (
        year.astype("Int64").astype(str)
        + "-"
        + month.astype("Int64").astype(str).str.zfill(2)
        + "-"
        + day.astype("Int64").astype(str).str.zfill(2)
    )
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"), absolute


def stamped(slugs: pd.Series, own_dates: pd.Series) -> pd.DataFrame:
    """(base, date, absolute) for each slug that carries a provider stamp or alias suffix
    (others left out): the slug without it, the date it names, and whether the stamp says
    its year (`-2024-08-06`, `-2411`) rather than borrowing the record's own."""
    own = pd.to_datetime(own_dates, errors="coerce")
    found = []
    rest = slugs.dropna().astype(str)
    for pattern, kind in STAMPS:
        parts = rest.str.extract(pattern)
        hit = parts[0].notna()
        if hit.any():
            dates, absolute = _stamp_dates(parts[hit], kind, own.loc[parts.index[hit]])
            found.append(
                pd.DataFrame({"base": parts.loc[hit, 0], "date": dates, "absolute": absolute})
            )
        rest = rest[~hit]
    if not found:
        return pd.DataFrame(
            {"base": pd.Series(dtype=object), "date": pd.Series(dtype="M8[ns]"), "absolute": []}
        )
    return pd.concat(found).dropna(subset=["base", "date"])


def join_dated(frame: pd.DataFrame, labels: pd.Series) -> pd.Series:
    """Labels after joining each stamped group to the Epoch release it names."""
    org = frame["organizations"].str[0].fillna("").astype(str)
    is_target = frame["source"].eq(TARGET_SOURCE)
    has_target = is_target.groupby(labels).transform("any")
    slug = split_namespaced(frame["model_id"])[1]
    dated = stamped(slug[~is_target & ~has_target], frame["release_date"])
    if dated.empty:
        return labels
    names = frame.loc[is_target, "name"].astype(object).str.replace(EPOCH_MONTH, "", regex=True)
    targets = pd.DataFrame(
        {
            "key": _keys(names, org[is_target]),
            "date": pd.to_datetime(frame.loc[is_target, "release_date"], errors="coerce"),
            "target": labels[is_target],
        }
    ).dropna()
    wanted = pd.DataFrame(
        {"key": _keys(dated["base"], org.loc[dated.index]), "date": dated["date"]},
        index=dated.index,
    ).assign(label=labels.loc[dated.index])
    pairs = wanted.reset_index().merge(targets, on="key", suffixes=("", "_target"))
    pairs["days"] = (pairs["date"] - pairs["date_target"]).abs().dt.days
    pairs = pairs[(pairs["days"] <= MAX_DAYS) & (pairs["label"] != pairs["target"])]
    best = pairs.sort_values(["label", "days", "target"]).drop_duplicates("label")
    # A lookup, not `replace(dict)`, which grew 40x from 10 to 100 times the replay (#17).
    joined = pd.Series(best["target"].to_numpy(), index=best["label"].to_numpy())
    return labels.map(joined).fillna(labels).astype("int64")


def _keys(names: pd.Series, orgs: pd.Series) -> pd.Series:
    """`org|name key` (names.name_keys) per name."""
    keys = name_keys(names.reset_index(drop=True), orgs.reset_index(drop=True).str.lower())
    return pd.Series(
        (orgs.str.lower().to_numpy() + "#" + keys["key"].to_numpy()), index=names.index
    ).where(keys["numbers"].ne("").to_numpy() | keys["words"].ne("").to_numpy())


def multi_catalogue(frame: pd.DataFrame, labels: pd.Series, attached) -> int:
    """Groups that more than one catalogue lists (records of `attached` rows, feed items, left
    out: they only date a model)."""
    listed = frame.loc[~attached, "source"].groupby(labels[~attached]).nunique()
    return int((listed > 1).sum())


def undated(frame: pd.DataFrame) -> pd.Series:
    """Records whose release date says nothing about their release, so it is dropped (after
    the joins above, which read it): one more than MAX_DAYS before the date the record's own
    id stamps (models.dev dates `mistral-large-2512`, Mistral Large 3 of December 2025,
    2024-11-01, as it dates its `mistral-large-latest` alias), and a `-latest` alias's (the
    alias moves from release to release; its date is the first one's)."""
    slug = split_namespaced(frame["model_id"])[1]
    latest = slug.str.endswith("-latest").fillna(False) & frame["source"].ne(TARGET_SOURCE)
    found = stamped(slug[frame["source"].ne(TARGET_SOURCE)], frame["release_date"])
    found = found[found["absolute"].astype(bool)]
    own = pd.to_datetime(frame.loc[found.index, "release_date"], errors="coerce")
    early = (found["date"] - own).dt.days > MAX_DAYS
    return latest | early.reindex(frame.index, fill_value=False)
