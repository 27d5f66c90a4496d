# The two commands of the README. Both create/refresh .venv idempotently.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# the stamp changes with pyproject.toml and this file, so a changed install step runs again
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)

.PHONY: run test test-fast install demo lint audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip and setuptools come with the venv in whatever version Python shipped (setuptools 65.5.0,
# with known vulnerabilities, in Python 3.11's): both are brought up to date first.
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/workbench demo

# The laptop demo signs in nobody (WORKBENCH_AUTH=single-user, clearly marked in the app).
# A server sets WORKBENCH_AUTH=local or oidc; see the README, "Inloggning och roller".
run: install
	$(BIN)/workbench demo
	WORKBENCH_AUTH=$${WORKBENCH_AUTH:-single-user} $(BIN)/workbench app

test: install
	$(BIN)/python -m pytest

# The unit and AppTest layers and the docs' examples: no database server, no browser; on both
# cores (pytest-xdist): 2 min 10–28 s here against 3 min 43 s on one.
test-fast: install
	$(BIN)/python -m pytest -q -n 2 tests/unit tests/app workbench

# Known vulnerabilities in the installed dependencies (PyPI's advisory data); fails on a finding and
# says plainly when nothing could be audited (.ci/audit.py).
audit: install
	$(BIN)/python .ci/audit.py

# ruff (style, imports, bugbear) and mypy (the type annotations, config in pyproject.toml)
lint: install
	$(BIN)/ruff check workbench tests
	$(BIN)/mypy workbench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
