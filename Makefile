# Two commands from a fresh clone: `make build` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: build test lint golden bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

build: $(VENV)/.installed
	$(BIN)/kg build

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The suite on every core, a test file to a worker (a file's fixtures are built once);
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --sizes 10k,100k,1m --repeat 3 --baselines --out bench/RESULTS.md
	$(BIN)/python bench/load_big.py --triples 1000000
	$(BIN)/python bench/loop.py --steps speed,start --repeat 5 --out bench/RESULTS.md

golden: $(VENV)/.installed-test
	KG_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests/golden -k golden

clean:
	rm -rf out $(VENV) .pytest_cache .mypy_cache .ruff_cache
