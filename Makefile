# Place Insight: the project's public interface. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
RAW_FROM ?=
RAW_ARG := $(if $(RAW_FROM),--raw-from $(RAW_FROM),)

.PHONY: venv data run serve-shared test test-fast lint clean docs bench briefs

-include Makefile.register

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

## make data [RAW_FROM=DIR]: fetch the raw files (mirror or online) and build data/tidy/
data: venv
	$(PY) -m pipelines build $(RAW_ARG)

## make serve-shared [INSTANCES=2] [SHARED_PORT=8510]: the app as N processes behind nginx (sticky) on
## one register database (DATABASE_URL, PostgreSQL); see README "Shared deployment"
INSTANCES ?= 2
SHARED_PORT ?= 8510
serve-shared: data
	$(PY) -m dashboard.serve_shared --instances $(INSTANCES) --port $(SHARED_PORT)

## make run: build the data if needed, then serve the app on 127.0.0.1:$(PORT)
run: data
	$(PY) -m dashboard.launch dashboard/streamlit_app.py --server.headless true --server.address 127.0.0.1 \
		--server.port $(PORT) --browser.gatherUsageStats false

## make test: the whole test suite (starts a throwaway PostgreSQL when the machine has one)
test: venv
	bash tests/with_postgres.sh $(PY) -m pytest -q -rs

## make lint: ruff (lint and format check) and the import-layer contracts (import-linter)
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test-fast: venv
	$(PY) -m pytest -q -x -m "not browser and not slow"

clean:
	rm -rf data/raw data/tidy

## make docs: rewrite the indicator list of data/README.md from the built tables
docs: data
	$(PY) -m pipelines docs

## make briefs OUT=DIR [WARD=E05005209] [FORMAT=pdf|png|both]: one-page A4 ward briefs (all wards, or one)
FORMAT ?= both
briefs: data
	@test -n "$(OUT)" || { echo "usage: make briefs OUT=DIR [WARD=CODE] [FORMAT=pdf|png|both]" >&2; exit 2; }
	$(PY) -m dashboard.briefs --out "$(OUT)" --format $(FORMAT) $(if $(WARD),--ward $(WARD),)

## make bench [RAW_FROM=DIR]: the speed and memory budget (prints a table, writes bench/results.json).
## The two-instance figures need PostgreSQL: DATABASE_URL if set, else a throwaway cluster when the
## machine has one (tests/with_postgres.sh, as for make test); otherwise they say "not measured".
bench: venv
	bash tests/with_postgres.sh sh -c 'DATABASE_URL="$${DATABASE_URL:-$${TEST_DATABASE_URL:-}}" \
		exec $(PY) bench/run.py $(if $(RAW_FROM),--raw-from $(RAW_FROM),)'

