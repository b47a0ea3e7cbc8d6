# Consult: `make run` serves the demo, `make test` runs the whole suite.
VENV    := .venv
PY      := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
HOST    ?= 127.0.0.1
PORT    ?= 5000
PYTHON  ?= python3

.PHONY: install system-packages system-packages-test run test lint format translations translations-update bench bench-smoke clean

install: $(VENV)/.installed translations node_modules/axe-core/axe.min.js

# Debian packages (python3-venv, report fonts; for tests also Chromium, npm, PostgreSQL, Redis):
# installed when missing and run as root, else the command to run is printed.
system-packages:
	@scripts/system-packages run

system-packages-test:
	@scripts/system-packages test

# axe-core for the accessibility browser test (test tooling, never served); only when missing.
node_modules/axe-core/axe.min.js:
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: axe-core not installed (tests/browser/test_accessibility.py needs it)"; fi

$(VENV)/.installed: pyproject.toml | system-packages
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Catalogues are compiled by every build, so a stale or missing .mo cannot happen.
translations: $(VENV)/.installed
	$(PY) -c "from pathlib import Path; from consult.catalogs import ensure_compiled; ensure_compiled(Path('translations'))"

translations-update: $(VENV)/.installed
	$(PYBABEL) extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --no-wrap .
	$(PYBABEL) update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete

# The worker (background queue: retraining, coding new answers) runs beside the server;
# Ctrl-C stops the server, and the trap stops the worker with it.
run: system-packages install
	$(VENV)/bin/consult demo
	@$(VENV)/bin/consult worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/consult run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: system-packages-test install lint
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/run.py

bench-smoke: install
	$(PY) bench/run.py --smoke

clean:
	rm -rf $(VENV) instance .pytest_cache
