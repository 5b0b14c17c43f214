# Two commands set everything up on a fresh machine (Python 3.11+, Java 17, Maven):
#   make demo   — creates .venv, installs commentscope, runs the synthetic demo end to end (no server)
#   make test   — installs the dev + airflow extras and the test search engine, runs lint and all tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install install-dev engine clean lock bench bench-quick

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.core: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,airflow]"
	touch $(VENV)/.core $@

install: $(VENV)/.core
install-dev: $(VENV)/.dev

demo: $(VENV)/.core
	$(BIN)/commentscope demo

engine:
	bash tests/engine/resolve.sh
	bash tests/s3proxy/resolve.sh

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(VENV)/.dev engine lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(VENV)/.dev engine
	$(BIN)/python -m bench.run

bench-quick: $(VENV)/.dev engine
	$(BIN)/python -m bench.run --quick --results /tmp/commentscope-bench/quick-results

# refresh constraints.txt after changing dependencies in pyproject.toml
lock: $(VENV)/.dev
	{ echo "# Exact versions tested together (pip constraints; regenerate with: make lock)."; \
	  $(BIN)/pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip=='; } > constraints.txt

clean:
	rm -rf $(VENV) data/demo
