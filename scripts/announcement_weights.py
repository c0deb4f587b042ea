"""Train the announcement classifier on every hand label and write its weights.

    .venv/bin/python scripts/announcement_weights.py

Run it after changing `data/labels/announcements.csv`, the cues or the reference words:
`tests/normalize/test_announcement_classifier.py` trains again and fails while
`data/labels/announcement_weights.csv` differs from what the labels teach.
"""

from ai_landscape.normalize.announcement_classifier import WEIGHTS_CSV, write_weights
from ai_landscape.normalize.announcement_scoring import trained_classifier

if __name__ == "__main__":
    classifier = trained_classifier()
    write_weights(classifier)
    print(f"{WEIGHTS_CSV}: {len(classifier.weights)} cues and the intercept")
