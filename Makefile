# Waystation: `make run` brings the whole system up, `make test` passes the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# Unit and integration tests run in this many pytest-xdist workers (each has its own Redis and
# databases); the suites that start whole systems run one at a time after them.
TEST_WORKERS ?= 2

.PHONY: setup system run demo test test-fast lint fmt docs bench chaos fuzz clean

$(STAMP): pyproject.toml constraints.txt
	scripts/ensure-system.sh run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## system: the Debian packages and services the suite needs (installs them as root, else
## prints the exact command); scripts/ensure-system.sh
system:
	scripts/ensure-system.sh test

## run: create the venv, install, migrate, start Redis (if needed), the four services and sinks
run: setup
	$(VENV)/bin/waystation run

## demo: file the sample tickets into a running system (in another terminal)
demo: setup
	$(VENV)/bin/waystation demo

## test: the whole suite against real Redis and PostgreSQL: unit and integration tests in
## TEST_WORKERS workers, then every other folder of tests/ (e2e, browser, chaos, fuzz, bench)
test: system setup
	$(PY) -m pytest -n $(TEST_WORKERS) tests/unit tests/integration $(PYTEST_ARGS); \
	first=$$?; \
	$(PY) -m pytest tests --ignore=tests/unit --ignore=tests/integration $(PYTEST_ARGS); \
	second=$$?; \
	test $$first -eq 0 && test $$second -eq 0

test-fast: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

## lint: ruff, formatting, mypy, and the import contracts of pyproject.toml (lint-imports)
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared services waystation
	$(VENV)/bin/lint-imports

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## chaos: the long fault-injection runs (kill loop, Redis kill, database restart, network cut,
## poison, receiver outage, model-based kit test); results in test-artifacts/chaos/
chaos: setup
	CHAOS_LONG=1 $(PY) -m pytest tests/chaos -s -o timeout=1500 $(PYTEST_ARGS)

## fuzz: schemathesis against the four services' OpenAPI (FUZZ_EXAMPLES per operation, default
## 5 in `make test`, 100 here; FUZZ_MAX_TIME seconds per service for a long run); reports in
## test-artifacts/fuzz/
fuzz: setup
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(PY) -m pytest tests/fuzz -s $(PYTEST_ARGS)

## bench: the benchmark (QUICK=1 for the < 2 min profile); results in bench/results/
bench: setup
	$(VENV)/bin/waystation bench $(if $(QUICK),--quick,)

## docs: regenerate the AsyncAPI documents under docs/asyncapi/
docs: setup
	$(VENV)/bin/waystation docs --out docs/asyncapi

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
