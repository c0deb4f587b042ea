"""The reviewed reference tables applied to every source's candidate rows, after its normalizer.

`apply_reference` is the one place where the sources' own words become the contract's:

- organizations: canonical names (`data/reference/organizations.csv`), repeats dropped;
  `model_id` rebuilt on the canonical lead organization where the normalizer built it from the
  lead it was given (its `org/` part is that organization's slug), so `google-deepmind/gemma-3`
  and `google/gemma-3` become one id; country codes from the table where a row has none.
- licences (`data/reference/licenses.csv`): `license_id` and `commercial_use` from
  `license_raw`; `weights_access` too, but only where the source left it null or `unknown`
  (Epoch's accessibility labels and models.dev's `open_weights = false` stand). A licence
  whose openness contradicts the source's access state (an Apache code licence in the notes of
  an unreleased model) is left out: the text was about something else.
- compute: 6·N·D where parameters and tokens are known and compute is not.
- `quality_flags`: unit-error suspicions, for the run report.

Adds `commercial_use` and `quality_flags`; every other column keeps its name and order.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize import access
from ai_landscape.normalize.compute import fill_estimates, unit_error_flags
from ai_landscape.normalize.licenses import classify_series, unknown_licenses
from ai_landscape.normalize.organizations import canonicalize
from ai_landscape.normalize.text import org_slug
from ai_landscape.schema import CLOSED_ACCESS, OPEN_ACCESS

ADDED_COLUMNS = ("commercial_use", "quality_flags")


def apply_reference(candidates: pd.DataFrame) -> pd.DataFrame:
    out = candidates.copy()
    _organizations(out)
    _licences(out)
    out = fill_estimates(out)
    out["quality_flags"] = unit_error_flags(out)
    return out


def _organizations(out: pd.DataFrame) -> None:
    lead_before = out["organizations"].str[0]
    out["organizations"], countries = canonicalize(out["organizations"])
    out["model_id"] = rebuilt_model_ids(out["model_id"], lead_before, out["organizations"].str[0])
    missing = out["country_codes"].str.len().fillna(0) == 0
    out["country_codes"] = out["country_codes"].where(~missing, countries)


def rebuilt_model_ids(
    model_id: pd.Series, lead_before: pd.Series, lead_after: pd.Series
) -> pd.Series:
    """`org/name` ids whose `org` is the slug of the lead organization the normalizer had
    (as `text.model_ids` builds it: a slug never holds `/`) get the canonical lead's slug;
    other ids, and null ones, are kept."""
    if model_id.empty:  # `str.partition` of no rows has no columns to index
        return model_id
    parts = model_id.astype(object).fillna("").str.partition("/")
    built = model_id.notna() & parts[0].eq(org_slug(lead_before))
    rebuilt = org_slug(lead_after) + "/" + parts[2]
    return rebuilt.where(built, model_id)


def _licences(out: pd.DataFrame) -> None:
    found = classify_series(out["license_raw"])
    given = out["weights_access"]
    conflict = (found["openness"].eq("open") & given.isin(CLOSED_ACCESS)) | (
        found["openness"].eq("closed") & given.isin(OPEN_ACCESS)
    )
    fill = (given.isna() | given.isin(("unknown", access.OPEN_UNSPECIFIED))) & found[
        "weights_access"
    ].ne("unknown")
    out["weights_access"] = given.where(~fill, found["weights_access"])
    out["license_id"] = found["license_id"].where(~conflict, None)
    # Where the source stated the access state itself (Epoch's curated labels), its terms
    # follow from that state; the licence text only fills in what no source stated. A licence
    # whose terms disagree with a stated open state (Epoch: "restricted use", the text: MIT)
    # keeps its id but not its terms, so the two published fields never contradict.
    use = found["commercial_use"]
    # `open_unspecified` states openness, not terms: a licence decides them.
    stated_open = given.isin(OPEN_ACCESS) & given.ne(access.OPEN_UNSPECIFIED)
    agrees = ~stated_open | use.eq(access.commercial_use(given))
    out["commercial_use"] = use.where(~conflict & use.ne("unknown") & agrees, None)


def normalization_report(candidates: pd.DataFrame, top: int = 25) -> dict:
    """What the run's manifest says of normalization: the licence texts the table could not
    classify (most frequent first) and the records flagged as likely unit errors."""
    unknown = unknown_licenses(candidates)
    flagged = candidates[candidates["quality_flags"].str.len() > 0]
    return {
        "unknown_licenses": {
            "distinct": len(unknown),
            "records": int(unknown["records"].sum()),
            "top": unknown.head(top).to_dict("records"),
        },
        "quality_flags": {
            "records": len(flagged),
            "sample": flagged[["source", "dataset", "source_key", "quality_flags"]]
            .head(top)
            .assign(quality_flags=lambda f: f["quality_flags"].map(list))
            .to_dict("records"),
        },
    }
