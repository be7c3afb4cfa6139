# Parallax. `make demo` and `make test` build .venv themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

## demo: check the French sample article end to end, offline
demo: $(RUN_STAMP)
	$(BIN)/parallax check data/samples/fr-ai-safety.txt --offline --lang fr,en --db data/demo.db

## run: start the Discord bot (needs DISCORD_TOKEN)
run: $(RUN_STAMP)
	$(BIN)/parallax run

## test: lint, then the whole test suite
test: lint
	$(BIN)/python -m pytest -q

## lint: ruff on the code, hadolint on the Dockerfile
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

## bench: every benchmark under bench/
bench: $(DEV_STAMP)
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
