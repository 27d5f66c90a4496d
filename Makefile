# The two commands of the README. Both create/refresh .venv idempotently.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test install demo lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/workbench demo

run: install
	$(BIN)/workbench demo
	$(BIN)/workbench app

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check workbench tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
