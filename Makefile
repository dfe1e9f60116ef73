# The one list of developer commands. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
ADMIN_EMAIL ?= admin1@example.com
ADMIN_PASSWORD ?= admin111
ADMIN_USER_ID ?= Admin 1
PORT ?= 8000

.PHONY: install install-test run demo test lint fmt check migrations-check

$(PYTHON):
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

.env:
	cp .env.example .env

install: $(PYTHON) .env
	$(BIN)/pip install -q -e .

install-test: $(PYTHON) .env
	$(BIN)/pip install -q -e '.[test]'

# Install, create the SQLite database with an admin and the demo workspace (once), serve on :$(PORT).
demo: install
	@if [ ! -s db.sqlite3 ]; then \
		$(PYTHON) manage.py manage_db --mode init --force --email "$(ADMIN_EMAIL)" --password "$(ADMIN_PASSWORD)" --user-id "$(ADMIN_USER_ID)"; \
	else $(PYTHON) manage.py migrate -v0; fi
	$(PYTHON) manage.py sync_folder --folder-path fixtures/example
	@echo "Log in at http://localhost:$(PORT)/ as $(ADMIN_EMAIL) / $(ADMIN_PASSWORD)"
	$(PYTHON) manage.py runserver 0.0.0.0:$(PORT)

run: install
	$(PYTHON) manage.py runserver 0.0.0.0:$(PORT)

# Every test, on the database DATABASE_URL names (SQLite when unset).
test: install-test
	$(PYTHON) -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check:
	$(PYTHON) manage.py makemigrations --check --dry-run

check: lint migrations-check
	$(PYTHON) manage.py check
