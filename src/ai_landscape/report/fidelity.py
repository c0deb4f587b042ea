"""What the headline count is made of: fine-tunes among the confirmed models, Epoch's own
large-scale list beside it, the licence sources of open models, and what each chart credits.

The headline stays the seed's count (compute confirmed >= 1e23 FLOP, fine-tunes included as
Epoch counts them); these figures let a reader see how much of it is derived models and why
it leans open (closed labs rarely publish compute).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.report.chartdata import LARGE_SCALE_PANELS, latest_release
from ai_landscape.report.charts import Credits
from ai_landscape.report.coverage import ATTRIBUTION
from ai_landscape.report.groups import country_group
from ai_landscape.report.licence_gap import gap_counts, gap_reasons
from ai_landscape.schema import OPENNESS

INCLUDES_BASE = "includes_base"
# Where an open model's licence came from, by the source of its `license_id`.
LICENCE_SOURCES = ("weights repo (Hugging Face)", "Epoch's notes", "other catalogue", "none")
# The labs whose Hub listing the replay holds (google, microsoft, Qwen, deepseek-ai,
# meta-llama, mistralai, xai-org), by the organization their models carry
# (data/reference/hf_organizations.csv), and the catalogues other than the Hub.
LISTED_LABS = ("Google", "Microsoft", "Alibaba", "DeepSeek", "Meta AI", "Mistral AI", "xAI")
CATALOGUES = ("epoch", "modelsdev", "openrouter")


def _by_openness(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["openness"].value_counts()
    return {o: int(counts.get(o, 0)) for o in OPENNESS}


def headline(models: pd.DataFrame) -> dict:
    """Confirmed models, the derived ones among them, and Epoch's list (each model once)."""
    confirmed = models[models["large_scale"] == "confirmed"]
    listed = models[models["listed_large_scale"].astype(bool)]
    return {
        "confirmed": len(confirmed),
        "confirmed_derived": int((confirmed["compute_scope"] == INCLUDES_BASE).sum()),
        "confirmed_by_openness": _by_openness(confirmed),
        "epoch_list": len(listed),
        "epoch_list_by_openness": _by_openness(listed),
    }


def headline_notes(models: pd.DataFrame) -> list[str]:
    """The sentences chart 1 and its section carry under the headline."""
    h = headline(models)
    c, e = h["confirmed_by_openness"], h["epoch_list_by_openness"]
    return [
        f"Headline: {h['confirmed']} models with training compute ≥ 1e23 FLOP confirmed "
        f"(the seed's count); {h['confirmed_derived']} of them are fine-tunes whose compute "
        "includes their base model's (dotted). Epoch's own large-scale list, which also names "
        f"models whose compute is estimated or unknown, has {h['epoch_list']} models "
        "(a model it lists twice counts once).",
        f"Why 'confirmed' leans open: closed labs rarely publish compute ({c['closed']} closed "
        f"/ {c['open']} open confirmed, against {e['closed']} / {e['open']} in Epoch's list).",
    ]


def derived_by_year(models: pd.DataFrame) -> pd.DataFrame:
    """Chart 1's confirmed panel, fine-tunes only: year x country group x openness."""
    derived = models[
        (models["large_scale"] == "confirmed")
        & (models["compute_scope"] == INCLUDES_BASE)
        & models["release_date"].notna()
    ]
    frame = pd.DataFrame(
        {
            "year": pd.to_datetime(derived["release_date"]).dt.year.astype("int64"),
            "country_group": country_group(derived["country_codes"]),
            "openness": derived["openness"],
        }
    )
    return frame.groupby(list(frame.columns)).size().rename("models").reset_index()


def licence_source(models: pd.DataFrame) -> pd.Series:
    """Per model: which kind of source its `license_id` came from (LICENCE_SOURCES), read from
    the provenance's `"license_id": "<source>.<dataset>:..."`."""
    source = models["provenance"].str.extract(r'"license_id":\s*"([^".]+)\.', expand=False)
    kind = np.select(
        [source.eq("huggingface"), source.eq("epoch"), source.notna()],
        LICENCE_SOURCES[:3],
        default=LICENCE_SOURCES[3],
    )
    return pd.Series(kind, index=models.index, dtype=object)


def licence_coverage(models: pd.DataFrame) -> pd.DataFrame:
    """Open models by the source of their licence: models and share."""
    open_models = models[models["openness"] == "open"]
    counts = licence_source(open_models).value_counts().reindex(LICENCE_SOURCES, fill_value=0)
    total = max(len(open_models), 1)
    return pd.DataFrame(
        {
            "licence_source": list(LICENCE_SOURCES),
            "open_models": counts.astype("int64").to_numpy(),
            "share": (counts / total).round(3).to_numpy(),
        }
    )


def listed_labs_models(models: pd.DataFrame) -> pd.DataFrame:
    """The open models of the listed labs (lead organization) that a catalogue other than the
    Hub lists."""
    lead = models["organizations"].str[0]
    listed = models["sources"].map(lambda names: not set(CATALOGUES).isdisjoint(names))
    return models[lead.isin(LISTED_LABS) & listed.astype(bool) & (models["openness"] == "open")]


def listed_labs_licences(models: pd.DataFrame, listed_on: pd.Timestamp | None = None) -> dict:
    """Issue 12's goal, measured: of `listed_labs_models`, how many name a weights repo, how
    many take their licence from one, how many have a licence from any source, and why the
    others take none from a repo (`licence_gap.REASONS`; `listed_on`: the Hub listing's date)."""
    chosen = listed_labs_models(models)
    source = licence_source(chosen)
    from_repo = source == LICENCE_SOURCES[0]
    return {
        "open_models": len(chosen),
        "name_a_repo": int((chosen["hf_repo_ids"].str.len() > 0).sum()),
        "licence_from_repo": int(from_repo.sum()),
        "any_licence": int((source != LICENCE_SOURCES[3]).sum()),
        "not_from_repo": gap_counts(gap_reasons(chosen, from_repo, models, listed_on)),
    }


def chart_attribution(models: pd.DataFrame) -> str:
    """Credits for the sources of the models a chart draws, and only those."""
    names = dict.fromkeys(name for names in models["sources"] for name in names)
    ordered = [n for n in ATTRIBUTION if n in names] + [n for n in names if n not in ATTRIBUTION]
    return "; ".join(ATTRIBUTION.get(n, n) for n in ordered) or "no source"


def chart_credits(models: pd.DataFrame, snapshot_id: str) -> Credits:
    """A chart's credits from the models it draws: their sources and their newest release
    (a Hub repo trending today does not make a year of large-scale models partial)."""
    return Credits(chart_attribution(models), snapshot_id, latest_release(models))


def charted_models(models: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Chart key -> the models it draws."""
    return {
        "large_scale": models[models["large_scale"].isin(LARGE_SCALE_PANELS["any"][0])],
        "weights_access": models,
        "licences": models[models["openness"] == "open"],
    }


# The `large_scale` classes and the columns that qualify the headline: one definition for the
# report page and docs/fidelity.md (a test holds the two together).
CLASSES = (
    (
        "large_scale = confirmed",
        "Training compute ≥ 1e23 FLOP, stated by a source (Epoch). "
        "The headline count. A fine-tune's compute includes its base model's, as Epoch and the "
        "seed count it (see compute_scope).",
    ),
    (
        "large_scale = estimated",
        "No stated compute; this pipeline's 6·N·D estimate (parameters × tokens) is ≥ 1e23 FLOP.",
    ),
    ("large_scale = unconfirmed", "Epoch's large-scale list names the model but gives no compute."),
    ("large_scale = below", "Compute known (stated or estimated) and under 1e23 FLOP."),
    ("large_scale = unknown", "No compute and not on Epoch's large-scale list."),
    (
        "listed_large_scale",
        "Epoch's large-scale list names the model (compute confirmed, "
        "estimated or unknown there). Shown beside the headline; a model listed twice counts "
        "once.",
    ),
    (
        "compute_scope",
        "includes_base: the compute counts a base model's training too (a "
        "fine-tune; dotted in chart 1); own_run: the model's own training; empty: no compute.",
    ),
    (
        "finetune_compute_flop",
        "A fine-tune's own training compute (Epoch's Finetune compute column).",
    ),
    (
        "base_model_id",
        "The model a fine-tune was trained from (Epoch's Base model, the Hub's "
        "base_model tags, or the base an -instruct name points to).",
    ),
)


def classes_table() -> pd.DataFrame:
    return pd.DataFrame(list(CLASSES), columns=["class or column", "meaning"])
