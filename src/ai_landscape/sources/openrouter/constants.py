"""OpenRouter's `GET /api/v1/models`: where it lives and what its fields are called."""

SOURCE = "openrouter"

URLS = {"models": "https://openrouter.ai/api/v1/models"}

ID = "id"
NAME = "name"
CREATED = "created"
HUGGING_FACE_ID = "hugging_face_id"

# Without these a record cannot be keyed, named or dated; everything else is optional (the
# 2026-08 schema added `alias_target`, `benchmarks` and `reasoning` to models and
# `total_count` and `links.next` to the document).
REQUIRED_KEYS = (ID, NAME, CREATED)

# `~anthropic/claude-opus-latest` is a moving alias of whichever model is newest, not a model.
ALIAS_PREFIX = "~"
# `openai/gpt-oss-20b:free` and `qwen/...:thinking` are ways of calling the model before ":".
VARIANT_SUFFIX = r":[^/]*$"

# `created` is when OpenRouter listed the model (GPT-4, released 2023-03-14, says 2023-05-28):
# the field name tells the resolver to rank it below announcement and publication dates.
RELEASE_DATE_FIELD = "created (listing date)"

# The 2026-08 schema pages with `links.next` (500 models a page in OpenRouter's docs; the
# recorded list of 336 fits in one). 20 pages is 10,000 models: far more than exist.
MAX_PAGES = 20
