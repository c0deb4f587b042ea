"""Epoch AI's exports: where they live and what their columns are called in each vintage."""

SOURCE = "epoch"

# In order of precedence: where one model appears in several datasets, the first one that has
# a value for a field supplies it. The large-scale list is the curated answer to this
# project's main question; frontier is a subset with the most detail.
URLS = {
    "large_scale": "https://epoch.ai/data/large_scale_ai_models.csv",
    "frontier": "https://epoch.ai/data/frontier_ai_models.csv",
    "notable": "https://epoch.ai/data/notable_ai_models.csv",
}

# Column names drift between vintages; parse renames them to the left-hand names.
COLUMN_ALIASES = {
    "System": "Model",
    "Country (from Organization)": "Country (of organization)",
}

MODEL = "Model"
ORGANIZATION = "Organization"
COUNTRY = "Country (of organization)"
PUBLICATION_DATE = "Publication date"
PARAMETERS = "Parameters"
TRAINING_COMPUTE = "Training compute (FLOP)"
ACCESSIBILITY = "Model accessibility"
CONFIDENCE = "Confidence"
LINK = "Link"
# Optional (the 2025 all-models vintage lacks notes): free text naming the weights' licence,
# and parameter notes that give active parameters of mixture-of-experts models.
ACCESSIBILITY_NOTES = "Accessibility notes"
PARAMETERS_NOTES = "Parameters notes"
# Optional: the model(s) a fine-tune was trained from ("Whisper v2,Qwen3-32B"), and the
# fine-tune's own compute. A fine-tune's `Training compute (FLOP)` includes its base's.
BASE_MODEL = "Base model"
FINETUNE_COMPUTE = "Finetune compute (FLOP)"

REQUIRED_COLUMNS = (
    MODEL,
    ORGANIZATION,
    COUNTRY,
    PUBLICATION_DATE,
    PARAMETERS,
    TRAINING_COMPUTE,
    ACCESSIBILITY,
    CONFIDENCE,
)

# What Epoch's accessibility and confidence labels mean in the contract's terms is reviewed
# data: data/reference/epoch_labels.csv (normalize/vocabulary.py loads it).

# Epoch joins several organizations with "," and no space; a ", " belongs to one name
# ("NERSC, Lawrence Berkeley National Laboratory", "Co., Ltd.").
ORGANIZATION_SEPARATOR = r",(?! )"
COUNTRY_SEPARATOR = ","
