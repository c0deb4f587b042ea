"""OpenRouter's model list: API-served models, open and closed, with Hugging Face links."""
