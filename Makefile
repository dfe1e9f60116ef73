# The one list of developer commands. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
ADMIN_EMAIL ?= admin1@example.com
ADMIN_PASSWORD ?= admin111
ADMIN_USER_ID ?= Admin 1
PORT ?= 8000

.PHONY: install install-test run demo test test-fast lint fmt check migrations-check no-outside-refs

$(PYTHON):
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

.env:
	cp .env.example .env

# Reinstall only when pyproject.toml changed since the last install (a second `make demo` starts at once).
# pip's output is kept in .venv/pip.log and shown only when it fails.
$(VENV)/.installed: $(PYTHON) pyproject.toml
	$(BIN)/pip install -q -e . >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: $(PYTHON) pyproject.toml
	$(BIN)/pip install -q -e '.[test]' >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed .env

install-test: $(VENV)/.installed-test .env

# Install, migrate, and in a new database create the admin and load the demo workspace; serve on :$(PORT).
# A database already in use is only migrated: what people did in the demo is kept.
demo: install
	$(PYTHON) manage.py demo --email "$(ADMIN_EMAIL)" --password "$(ADMIN_PASSWORD)" --user-id "$(ADMIN_USER_ID)" \
		--url "http://localhost:$(PORT)/"
	$(PYTHON) manage.py runserver 0.0.0.0:$(PORT)

run: install
	$(PYTHON) manage.py runserver 0.0.0.0:$(PORT)

# Every test, on the database DATABASE_URL names (SQLite when unset).
test: install-test
	$(PYTHON) -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# Everything but the real-browser tests, keeping the test database between runs (docs/testing.md); CI uses `test`.
test-fast: install-test
	$(PYTHON) -m pytest -q -m "not browser" --reuse-db

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check:
	$(PYTHON) manage.py makemigrations --check --dry-run

# Nothing tracked may point at the material kept beside the repository: the suite must pass in any clone.
no-outside-refs:
	@if git grep -nE '\.\.[/]shared|[/]work[/]shared' -- . ; then \
		echo "tracked files above refer to the shared folder beside the repository; keep what they need inside it"; exit 1; fi

check: lint migrations-check no-outside-refs
	$(PYTHON) manage.py check
