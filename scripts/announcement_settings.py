"""Choose the classifier's settings by leaving one lab out (never on the blind held-out set).

Why: `announcement_classifier.C`, `CLASS_WEIGHT` and `THRESHOLD` were chosen by the best
leave-one-lab-out F1 over the labels of their day; when the labels grow, this says whether the
same settings are still the best. For each held-out lab the cues are read once (its words
withheld), then the classifier is trained on the other labs for every C and class weight, and
every threshold is scored on the pooled left-out probabilities.

    PYTHONPATH=src .venv/bin/python scripts/announcement_settings.py
"""

from __future__ import annotations

import numpy as np

from ai_landscape.normalize import announcement_classifier
from ai_landscape.normalize.announcement_evaluation import labels
from ai_landscape.normalize.announcement_scoring import fold_cues

CS = (0.1, 0.3, 1.0, 3.0, 10.0)
CLASS_WEIGHTS = (None, "balanced")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def main() -> None:
    table = labels()
    truth = table["is_model_announcement"].to_numpy()
    folds = {lab: fold_cues(lab)[0] for lab in sorted(table["lab"].unique())}
    results = []
    for c in CS:
        for weight in CLASS_WEIGHTS:
            announcement_classifier.C, announcement_classifier.CLASS_WEIGHT = c, weight
            probability = np.zeros(len(table))
            for lab, fired in folds.items():
                seen = (table["lab"] != lab).to_numpy()
                model = announcement_classifier.train(
                    [f for f, s in zip(fired, seen, strict=True) if s], truth[seen]
                )
                held = [f for f, s in zip(fired, seen, strict=True) if not s]
                probability[~seen] = model.probability(held)
            for threshold in THRESHOLDS:
                said = probability >= threshold
                tp, fp = int((said & truth).sum()), int((said & ~truth).sum())
                fn = int((~said & truth).sum())
                f1 = 2 * tp / (2 * tp + fp + fn)
                results.append((f1, c, weight, threshold, tp, fp, fn))
    for row in sorted(results, reverse=True, key=lambda r: r[0])[:10]:
        f1, c, weight, threshold, tp, fp, fn = row
        print(f"F1 {f1:.4f}  C {c}  class_weight {weight}  threshold {threshold}  {tp}/{fp}/{fn}")


if __name__ == "__main__":
    main()
