"""Hugging Face Hub: open-weights repos of the labs that matter, with licence, gating, createdAt
and parameter counts (`GET /api/models?author=...`, `GET /api/models/{id}`, trending)."""
