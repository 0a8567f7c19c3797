# ogi-notebooks — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# the interpreter .venv is made from: by default python3, or a faster build of the same version (scripts/pick_python.py)
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAW ?= data/raw
PROCESSED ?= data/processed

.PHONY: help setup system accel lab test test-fast data figures bench clean

help: ## List the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@py="$(PYTHON)"; [ -n "$$py" ] || py=$$(python3 scripts/pick_python.py); \
	  echo "$$py -m venv $(VENV)"; "$$py" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,fast]"
	@touch $(STAMP)

setup: system $(STAMP) accel ## Create .venv and install everything (system packages too, where possible)

accel: $(STAMP) ## Compile the parser with mypyc for these sources (~1 min; up to date: nothing to do)
	$(BIN)/python scripts/build_accel.py

system: ## Install the system packages for figure export and browser tests (Debian, as root; else explain)
	@bash scripts/setup-system.sh

lab: setup ## The main job: JupyterLab on notebooks/ (builds the sample corpus on first use)
	$(BIN)/ogi build $(RAW) --out $(PROCESSED)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

data: setup ## Build the corpus tables from $(RAW) into $(PROCESSED) (incremental) and print the summary
	$(BIN)/ogi build $(RAW) --out $(PROCESSED)

test: setup ## Run every test (library, notebooks under nbval, browser test)
	$(BIN)/python -m pytest

test-fast: $(STAMP) accel ## Library tests only, without notebooks or browser
	$(BIN)/python -m pytest -m "not slow" --ignore=notebooks

figures: $(STAMP) ## Regenerate every publication figure under figures/ (one headless Chromium for the run)
	$(BIN)/python -m ogi.figures

bench: $(STAMP) accel ## Benchmarks at 10k and 100k synthetic reports against the targets (BENCH_ARGS=--quick for a short run)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean: ## Remove derived data, figures and caches (never data/raw)
	rm -rf $(PROCESSED)/* .cache figures/*.png figures/*.svg figures/*.pdf
	@touch $(PROCESSED)/.gitkeep
