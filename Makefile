# Microcred: `make run` serves the demo, `make test` checks everything.
# Everything lives in .venv (created from a Python >= 3.12) and var/ (data, uploads, reports).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

# Find a Python >= 3.12: $(PYTHON) if given, then python3.13/python3.12/python3 on PATH,
# then pyenv's installed versions.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(command -v pyenv >/dev/null 2>&1 && for v in 3.13 3.12; do p=$$(pyenv prefix $$v 2>/dev/null) && echo $$p/bin/python; done); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: run test check lint format typecheck pytest install interop demo migrate lock clean help screenshots

help:
	@echo "make run    set up everything, load the demo, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   lint, type-check, and run the tests (SQLite, then PostgreSQL if DATABASE_URL points at it)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Microcred needs Python 3.12 or newer, and none was found."; \
	  echo "Install one (e.g. 'pyenv install 3.12') or pass PYTHON=/path/to/python3.12."; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	@"$(PYTHON)" -m venv $(VENV)

# pip's own lines, condensed to one per package with a count, so a first install (a few
# minutes) shows what it is doing; the whole of pip's output is kept in .venv/pip-install.log.
$(VENV)/.installed: $(BIN)/python requirements.lock
	@total=$$(grep -c '^[A-Za-z0-9._-]*==' requirements.lock); \
	echo "Installing $$total pinned packages from requirements.lock (a few minutes the first time)"; \
	set -o pipefail; \
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off --require-hashes \
	  --no-deps -r requirements.lock 2>&1 | tee $(VENV)/pip-install.log | awk -v total=$$total ' \
	    /^(Collecting|Processing) / { n++; name = $$2; sub(/.*\//, "", name); \
	      printf "  [%d/%d] %s\n", n, total, name; fflush(); next } \
	    /^Installing collected packages/ { print "  installing into $(VENV)..."; fflush() }' \
	  || { echo "pip failed; its last lines (all of them in $(VENV)/pip-install.log):"; \
	       tail -n 30 $(VENV)/pip-install.log; exit 1; }
	@echo "  done"
	@touch $@

install: $(VENV)/.installed

# The independent verifier of the interoperability tests (Digital Bazaar's JavaScript stack),
# installed from the npm registry with its lock file; skipped when node is not installed.
interop/node_modules/.installed: interop/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix interop --no-audit --no-fund --silent && touch $@; \
	else echo "(npm not found: the interoperability tests will skip)"; fi

interop: interop/node_modules/.installed

migrate: install
	@mkdir -p var
	@echo "Setting up the database"
	@$(BIN)/python manage.py migrate --no-input

demo: migrate
	@echo "Loading the demo organizations, people, credentials and earning history"
	@$(BIN)/python manage.py load_demo

# A local demo (LOCAL_DEMO: plain HTTP, mail printed by the worker, demo logins shown) with
# the product's own pages and error pages; `DEBUG=1 make run` turns Django's debugging on.
run: demo
	@echo "Collecting static files"
	@$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@LOCAL_DEMO=$${LOCAL_DEMO:-1} $(BIN)/python manage.py serve --port $(PORT)

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/lint-imports --no-cache --no-logo

format: install
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

typecheck: install
	@$(BIN)/mypy microcred bench scripts

check: lint typecheck

# Runs the whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one.
pytest: install interop
	@mkdir -p var/reports
	@echo "== pytest on SQLite =="
	@# With PostgreSQL as well, the browser tests (half the time) run once, on PostgreSQL.
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "(the browser tests run in the PostgreSQL run below)"; \
	  DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -n auto -m "not browser" \
	    --junitxml=var/reports/junit-sqlite.xml $(PYTEST_ARGS); \
	else \
	  DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -n auto \
	    --junitxml=var/reports/junit-sqlite.xml $(PYTEST_ARGS); \
	fi
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== pytest on PostgreSQL ($${DATABASE_URL%%\?*}) =="; \
	  $(BIN)/pytest -n auto --junitxml=var/reports/junit-postgres.xml $(PYTEST_ARGS); \
	else echo "(DATABASE_URL is not PostgreSQL: the PostgreSQL run is skipped)"; fi

test: check pytest

# Re-take the screenshots in docs/screenshots from the demo, in Chromium.
screenshots: install
	@$(BIN)/python -m scripts.screenshots

lock: install
	@$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 \
	  --quiet --output-file requirements.lock
	@echo "requirements.lock updated; run 'make install' to apply it"

clean:
	rm -rf $(VENV) var staticfiles interop/node_modules
