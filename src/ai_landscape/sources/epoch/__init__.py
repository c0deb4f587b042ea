"""Epoch AI's curated exports: models, organizations, countries, compute, accessibility."""
