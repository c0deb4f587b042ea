"""Model-name families: a coined word with a digit inside is one name, not a family and a
version, so ordinary words ("data", a byline's "By") are never taken for model names."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.normalize.announcement_evaluation import holdout_labels, labels
from ai_landscape.normalize.announcements import decide
from ai_landscape.normalize.model_names import MODEL_FAMILIES_CSV, family_of, vocabulary


@pytest.mark.parametrize(
    ("name", "family"),
    [
        # Coined words: the digit is inside the name (were `By`, `data`, `wave`, `Conformer + Wa`).
        ("ByT5-XXL", "ByT5-XXL"),
        ("data2vec", "data2vec"),
        ("wave2vec 2.0 LARGE", "wave2vec"),
        ("Conformer + Wav2vec 2.0 + Noisy Student", "Conformer + Wav2vec"),
        # Versions still cut where they did.
        ("MiniMax M2.5", "MiniMax"),
        ("MiniMaxM2", "MiniMax"),
        ("Qwen3-235B", "Qwen"),
        ("ChatGLM3-6B", "ChatGLM"),
        ("DeBERTaV3large + KEAR", "DeBERTa"),
        ("Claude Opus 4", "Claude Opus"),
        ("Emu3.5", "Emu"),
        ("Command A Vision", "Command A Vision"),
    ],
)
def test_family_of(name, family):
    assert family_of(pd.Series([name])).iloc[0] == family


def test_every_catalogue_family_is_its_examples_family():
    """Each row of model_families.csv is what family_of makes of its example (or that
    family's first word, scripts/model_families.py): no row was cut by an older rule."""
    table = pd.read_csv(MODEL_FAMILIES_CSV, dtype=str, keep_default_na=False)
    example = table["example"].str.replace(r"\s*\([^)]*\)?|\s+Latest\b", "", regex=True)
    family = family_of(example.str.strip()).fillna("")
    agrees = (family == table["family"]) | (family.str.split(" ").str[0] == table["family"])
    assert table.loc[~agrees, "family"].tolist() == []
    assert not {"By", "data", "wave"} & set(table["family"])


def test_no_byline_or_common_word_is_a_model_name():
    """Items whose names once included `By` (a summary's second sentence "By introducing ...")
    and `data`: the announced names alone now."""
    held, labelled = holdout_labels(), labels()  # the Gemma guide: a training label since #15
    rows = pd.concat(
        [
            labelled[labelled["title"] == "Gemma 4 12B: The Developer Guide"],
            labelled[
                labelled["title"] == "RT-2: New model translates vision and language into action"
            ],
            labelled[labelled["title"].str.startswith("How Sevilla FC")],
        ]
    )
    found = decide(rows, vocabulary())["seen_names"].tolist()
    assert found == [
        ["Gemma 4 12B"],
        ["RT-2", "Robotic Transformer 2"],
        ["Llama 3.1 70B Instruct", "Llama 3.1 70B"],
    ]
    every = decide(pd.concat([labelled, held]), vocabulary())["seen_names"].explode()
    assert not set(every.dropna()) & {"By", "data", "wave"}


def test_name_shapes_of_the_real_feed_texts_are_extractalls_grouped():
    """`shape_names` loops over the matches; the reference is pandas' `str.extractall`
    grouped back per text (its form before #17), on every real title and summary lead."""
    from ai_landscape.normalize.announcement_features import item_text
    from ai_landscape.normalize.model_names import _trim_lead, shape_names, vocabulary
    from tests.replay_values import replay_frames

    items = pd.concat([r for r, _ in replay_frames("feeds").values()], ignore_index=True)
    found = 0
    for field, text in item_text(items).items():
        shapes = shape_names(text)
        spans = text.astype("str").str.extractall(vocabulary().patterns().shape)[0]
        trimmed = spans.map(_trim_lead)
        grouped = trimmed[trimmed.notna() & (trimmed != "")].groupby(level=0).agg(list)
        expected = [grouped.get(i, []) for i in text.index]
        assert shapes.tolist() == expected, field
        assert shapes.index.equals(text.index)
        found += int(shapes.str.len().sum())
    assert found == 1264
