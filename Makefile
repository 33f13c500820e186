# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   virtual environment, locked dependencies, database, catalog, demo clinic, server on 127.0.0.1:8000
#   make test   virtual environment with the dev dependencies, then the whole test suite
# DATABASE_URL switches from the embedded SQLite file (var/clinic.sqlite3) to PostgreSQL.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

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
	$(MANAGE) demo
	$(MANAGE) runserver 127.0.0.1:8000

test: venv-dev var
	$(PY) -m pytest $(PYTEST_ARGS)

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
