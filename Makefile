# The two commands: `make run` serves the product on this box, `make test` runs every suite.
# Each sets up what it needs itself (virtual environment, demo model, database migrations).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 3000
DATA_DIR ?= data

export BENTOML_DO_NOT_TRACK := true
export HF_HUB_OFFLINE := 1
export PYTHONUNBUFFERED := 1

.PHONY: run test venv demo-model openapi client check-client bench lint clean

venv: $(STAMP)

# torch is pinned to the CPU build on disk here; an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo-model: venv
	$(BIN)/python -m models.demo $(DATA_DIR)

run: venv demo-model
	@echo ""
	@echo "  brand-asset-generator (demo model, development sign-in, SQLite, local disk)"
	@echo "  Open http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/docs;"
	@echo "  sign in there with the token 'dev:<your name>')"
	@echo ""
	BAG_DEV_AUTH=1 BAG_DATA_DIR=$(DATA_DIR) $(BIN)/bentoml serve service:Api --host $(HOST) --port $(PORT)

test: venv
	$(BIN)/python -m pytest

openapi: venv
	$(BIN)/python scripts/export_openapi.py clients/openapi.json

client: openapi
	$(BIN)/python scripts/generate_client.py

check-client: venv
	$(BIN)/python scripts/generate_client.py --check

bench: venv
	$(BIN)/python bench/run_all.py

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
