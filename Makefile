# Two entry points: `make run` (refresh the landscape from the recorded replay data) and
# `make test` (lint, format check, import contracts, tests). Each bootstraps .venv from
# requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench clean

$(STAMP): requirements.lock pyproject.toml
	rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/landscape run --mode replay

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/normalize.py
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/resolve.py
	$(BIN)/python bench/run.py --repeat 1

clean:
	rm -rf $(VENV) .prefect .pytest_cache .ruff_cache

# Operations (docs/operating.md): `make deploy` starts a Prefect server on 127.0.0.1:4200,
# the `landscape-process` work pool, the deployments of prefect.yaml and a worker; `make stop`
# stops them.
.PHONY: deploy stop

deploy: $(STAMP)
	scripts/deploy.sh

stop:
	scripts/stop.sh
