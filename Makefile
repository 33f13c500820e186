# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   virtual environment, locked dependencies, database, catalog, demo clinic, server on 127.0.0.1:$(PORT)
#   make test   virtual environment with the dev dependencies, a Chromium for the browser tests, then the whole suite
# DATABASE_URL switches from the embedded SQLite file (var/clinic.sqlite3) to PostgreSQL, REDIS_URL to a shared cache.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: demo test check lint format typecheck migrations-check serve venv venv-dev clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The stamp files record which lock file was installed; a changed lock reinstalls.
$(VENV)/.installed-runtime: requirements.lock | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.installed-runtime

venv: $(VENV)/.installed-runtime
venv-dev: $(VENV)/.installed-dev

var:
	mkdir -p var

demo: venv var
	$(MANAGE) migrate --noinput
	$(MANAGE) demo --port $(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# tools/ensure_chromium.py prints a Chromium for the browser tests ($$CHROMIUM_PATH, the system's, Playwright's, or
# apt-get's when root) or says why there is none.
test: venv-dev var
	chromium="$$($(PY) tools/ensure_chromium.py)" && CHROMIUM_PATH="$$chromium" $(PY) -m pytest $(PYTEST_ARGS)

lint: venv-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: venv-dev
	$(PY) -m mypy .

migrations-check: venv-dev var
	DJANGO_SETTINGS_MODULE=clinic.settings.test $(MANAGE) makemigrations --check --dry-run

check: lint typecheck migrations-check test

clean:
	rm -rf $(VENV) var/staticfiles .mypy_cache .ruff_cache
