# Datamill — the human entry point. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
# nextest when installed (faster, clearer output), cargo test otherwise.
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)

.PHONY: help test lint fmt build release schemas schemas-check python-env fuzz-build bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

test: python-env lint schemas-check fuzz-build ## Everything CI checks: lint, generated files, fuzz build, all tests
ifeq ($(NEXTEST),yes)
	$(CARGO) test --workspace --doc --quiet
	$(CARGO) nextest run --workspace --no-fail-fast
else
	$(CARGO) test --workspace --no-fail-fast
endif

lint: ## rustfmt and clippy (warnings are errors)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

build: ## Debug build of the workspace
	$(CARGO) build --workspace

release: ## Optimised `datamill` binary in target/release
	$(CARGO) build --release -p datamill-cli

schemas: ## Regenerate proto-schemas/ from the Rust types
	$(CARGO) xtask schemas

schemas-check: ## Fail when proto-schemas/ is stale
	$(CARGO) xtask schemas --check

fuzz-build: ## Build the cargo-fuzz targets (fuzz with `cargo +nightly fuzz run <target>` in crates/core)
	$(CARGO) build -p datamill-fuzz --locked

python-env: $(VENV)/.installed ## Python peers for interop tests and benchmarks (pycocotools)

$(VENV)/.installed: crates/core/tests/interop/requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r $<
	touch $@

bench: python-env ## COCO-train-scale benchmark table (bench-results/bench.md); IMAGES=N for a smaller run
	$(CARGO) xtask bench $(if $(IMAGES),--images $(IMAGES),)

clean: ## Remove build outputs
	$(CARGO) clean
	rm -rf bench-results
