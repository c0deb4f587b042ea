"""models.dev: provider-neutral model facts (open_weights, release_date, licence, weights links)."""
