# The two commands of the README: `make site` builds the site from the bundled seeds,
# `make test` runs every test. Both create .venv/ and install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: site test check lint golden serve clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

site: $(INSTALLED)
	$(BIN)/python -m generator build

test: $(INSTALLED)
	$(BIN)/python -m ruff check generator tests
	$(BIN)/python -m ruff format --check generator tests
	$(BIN)/python -m pytest

check: $(INSTALLED)
	$(BIN)/python -m generator check

# Refresh the golden files after an intended change; review the diff like code.
golden: $(INSTALLED)
	$(BIN)/python -m tests.refresh_golden

serve: $(INSTALLED)
	$(BIN)/python -m mkdocs serve

clean:
	rm -rf site .cache docs/records docs/themes docs/years docs/tags docs/authors docs/paths docs/cite docs/browse.md docs/browse docs/feed.xml docs/feed-*.xml docs/index.md docs/needs-attention.md docs/needs-attention docs/record-fields.md docs/.generated-manifest.json docs/.generating
