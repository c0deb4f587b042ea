"""The real recorded Hugging Face Hub responses the Hugging Face tests read."""

from __future__ import annotations

from tests.conftest import PROJECT_ROOT

REPLAY = PROJECT_ROOT / "data" / "replay" / "huggingface"
RECORDED = PROJECT_ROOT / "data" / "recorded" / "huggingface"
TRENDING = REPLAY / "trending" / "models_sort-trendingScore_limit-15.json"
DETAILS = REPLAY / "details"
LIST_PAGES = RECORDED / "list_pages"
LIKES7D = LIST_PAGES / "GGGODLIN_daily-topic-radar__hf_models.json"
AI_DAILY = LIST_PAGES / "arku02_ai-daily__hf_models.json"
EXPANDED = LIST_PAGES / "BuiVannn_All-News-AI__hf_models.json"
REDIRECT_CASSETTE = RECORDED / "cassettes" / "InferenceApiTest.test_simple_inference.yaml"
EXPAND_CASSETTE = (
    RECORDED
    / "cassettes"
    / "TestInferenceClient.test_chat_completion_no_stream_together__897ddf8.yaml"
)
TREE = (
    RECORDED
    / "modelinfo_trees"
    / "hamidahoderinwale__Mistral-Small-24B-Base-2501_finetunes_20250405_001816.json"
)
RATE_LIMIT_PAGE = RECORDED / "error_pages" / "hub_429_rate_limit.html"
