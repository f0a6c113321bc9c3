# Datamill — the human entry point. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
# nextest when installed (faster, clearer output), cargo test otherwise.
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)

.PHONY: help dev test test-tools check-offline-build deploy-check lint fmt build release schemas schemas-check openapi python-env fuzz-build bench bench-pipeline bench-eda bench-worker bench-api clean frontend-deps frontend-api frontend-build frontend-check e2e

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

dev: test-tools frontend-build ## Start the platform: PostgreSQL, a demo NAS in ./data/nas, registry, worker, gateway + GUI on :8080
	scripts/dev.sh

# The services' tests need a PostgreSQL: $$TEST_DATABASE_URL, else the local server on :5432,
# else a private cluster under ./.data/pg that scripts/postgres.sh starts.
#
# One `cargo build` of every binary and test with one feature set, so that nothing after it
# compiles a dependency again: `-p` builds (xtask, the fuzz targets, the e2e binaries) resolve
# features over their own graph and used to rebuild half the dependency tree each. The checked-in
# schemas are compared by xtask's own test (`schemas-check` is the same check by hand), and the
# workspace has no doc tests (examples live in tests/), so rustdoc is not run.
test: test-tools python-env lint deploy-check check-offline-build frontend-check ## Everything CI checks: lint, generated files, fuzz build, all tests, the GUI's tests and its end-to-end run in Chromium
	$(CARGO) build --workspace --bins --tests --locked
ifeq ($(NEXTEST),yes)
	export TEST_DATABASE_URL="$$(scripts/postgres.sh ensure)" && $(CARGO) nextest run --workspace --no-fail-fast
else
	export TEST_DATABASE_URL="$$(scripts/postgres.sh ensure)" && $(CARGO) test --workspace --no-fail-fast
endif
	$(MAKE) --no-print-directory e2e E2E_PREBUILT=1

check-offline-build: ## Build with DATABASE_URL set to an empty database, as a user's shell may (sqlx must stay offline)
	scripts/check-offline-build.sh

deploy-check: test-tools ## Static checks of docker-compose.yml, the Dockerfiles, .dockerignore and the Helm chart (helm lint/template, Kubernetes and KEDA schemas)
	deploy/tests/compose-config.sh
	deploy/tests/helm-check.sh

test-tools: ## Debian packages the build and tests need (cmake, nasm, nginx, docker-compose, chromium, psql), installed when missing
	scripts/install-test-tools.sh

lint: ## rustfmt and clippy (warnings are errors)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

build: test-tools ## Debug build of the workspace
	$(CARGO) build --workspace

release: test-tools ## Optimised `datamill` binary in target/release
	$(CARGO) build --release -p datamill-cli

schemas: ## Regenerate proto-schemas/ from the Rust types
	$(CARGO) xtask schemas

schemas-check: ## Fail when proto-schemas/ is stale (openapi.json is checked by the registry's tests)
	$(CARGO) xtask schemas --check

openapi: ## Regenerate proto-schemas/openapi.json from the registry's routes, and the GUI's API types from it
	$(CARGO) run --quiet -p datamill-registry -- openapi > proto-schemas/openapi.json
	$(MAKE) --no-print-directory frontend-api

# The GUI (frontend/). npm ci runs again only when package-lock.json changes.
frontend-deps: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend-api: frontend-deps ## Regenerate the GUI's API types (frontend/src/api/*.d.ts) from proto-schemas/
	cd frontend && npm run --silent api

frontend-build: frontend-deps ## Build the GUI into frontend/dist (served by the gateway and by nginx)
	cd frontend && npm run --silent build

frontend-check: frontend-deps ## The GUI: generated API types up to date, tsc --noEmit, ESLint + Prettier, Vitest
	cd frontend && npm run --silent api:check
	cd frontend && npm run --silent typecheck
	cd frontend && npm run --silent lint
	cd frontend && npm run --silent test

# E2E_PREBUILT=1: `make test` built the binaries already (with the tests' feature set).
e2e: test-tools frontend-build ## End to end in Chromium against the real stack (screenshots in frontend/test-output/e2e)
ifndef E2E_PREBUILT
	$(CARGO) build --quiet -p datamill-dev -p datamill-cli
endif
	export TEST_DATABASE_URL="$$(scripts/postgres.sh ensure)" && cd frontend && npm run --silent e2e

fuzz-build: test-tools ## Build the cargo-fuzz targets (fuzz with `cargo +nightly fuzz run <target>` in crates/core)
	$(CARGO) build -p datamill-fuzz --locked

python-env: $(VENV)/.installed ## Python peers for interop tests and benchmarks (pycocotools)

$(VENV)/.installed: crates/core/tests/interop/requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r $<
	touch $@

bench: python-env ## All benchmark tables in bench-results/ (codecs: IMAGES=N for a smaller run)
	$(CARGO) xtask bench $(if $(IMAGES),--images $(IMAGES),)
	$(MAKE) --no-print-directory bench-pipeline
	$(MAKE) --no-print-directory bench-eda
	$(MAKE) --no-print-directory bench-worker
	$(MAKE) --no-print-directory bench-api

bench-pipeline: python-env test-tools ## Pipelines: Phase A vs plain Python, copy vs cp -r, rotate+re-encode vs Pillow (bench-results/pipeline.md; IMAGES=N JPEGS=M)
	$(CARGO) xtask bench-pipeline $(if $(IMAGES),--images $(IMAGES),) $(if $(JPEGS),--jpegs $(JPEGS),)

bench-eda: test-tools ## EDA: statistics from the annotations of 118k images and the header pass over 118k files (bench-results/eda.md; IMAGES=N)
	$(CARGO) xtask bench-eda $(if $(IMAGES),--images $(IMAGES),)

bench-worker: test-tools ## Queue and worker: enqueue→start latency, pipelines/minute with 1 and 2 workers, progress-write cost (bench-results/worker.md)
	export TEST_DATABASE_URL="$$(scripts/postgres.sh ensure)" && \
		$(CARGO) bench -p datamill-worker --bench queue

bench-api: test-tools ## List endpoint through the gateway under load: 10,000 groups x 10 versions, 16 clients, filters, deep pages, search (bench-results/api-list.md)
	export TEST_DATABASE_URL="$$(scripts/postgres.sh ensure)" && \
		$(CARGO) bench -p datamill-dev --bench list -- $(if $(GROUPS),--groups $(GROUPS),)

clean: ## Remove build outputs
	$(CARGO) clean
	rm -rf bench-results
