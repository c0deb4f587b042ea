"""models.dev's model metadata: where it lives and what its TOML keys are called.

models.dev keeps its data as TOML files in a GitHub repository; `models/<lab>/<id>.toml` holds
provider-neutral facts about one model (`providers/<provider>/models/` holds how each provider
serves it). GitHub's archive of the `dev` branch brings the whole tree in one request. The
site's `api.json` is keyed by provider and `models.json` has not been recorded, so neither can
be replayed; the archive can (see data/replay/modelsdev/PROVENANCE.md).
"""

SOURCE = "modelsdev"

URLS = {"models": "https://github.com/anomalyco/models.dev/archive/refs/heads/dev.tar.gz"}

# Archive members `<root>/models/<lab>/<id>.toml`; the root folder is `models.dev-dev` in
# GitHub's archive and is not relied on.
MODELS_FOLDER = "models"
TOML_SUFFIX = ".toml"

# Added by parse: models.dev's own id, `<lab>/<id>` from the file's path (the TOML has none).
ID = "id"
NAME = "name"
RELEASE_DATE = "release_date"
OPEN_WEIGHTS = "open_weights"
LICENSE = "license"
WEIGHTS = "weights"
WEIGHTS_URL = "url"

# Required by models.dev's schema and used here; a file without them is not a model record.
REQUIRED_KEYS = (NAME, RELEASE_DATE, OPEN_WEIGHTS)

# models.dev allows `YYYY-MM` release dates (8 of 231 files in 2026-07); they are kept as the
# first of the month under this field name, so the resolver can rank them below full dates.
MONTH_ONLY_FIELD = "release_date (month only)"
