# Two commands matter: `make run` and `make test`. Both set everything up from scratch on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := sandbox/node_modules/.installed

.PHONY: run test setup lint typecheck pytest eval bench clean sandbox chromium postgres

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "python3 is required (>= 3.11)"; exit 2; }
	@test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@# llm-test builds llama.cpp from source once (minutes); pip caches the wheel, so later installs are quick.
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip install -q -e ".[dev,llm-test]"
	@touch $(STAMP)

$(NODE_STAMP): sandbox/package.json sandbox/package-lock.json
	@command -v node >/dev/null || { (apt-get update -qq && apt-get install -y -qq nodejs npm) || { echo "Node.js >= 20 is required for the sandbox"; exit 2; }; }
	cd sandbox && npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

run: setup
	@$(BIN)/health-assistant run

sandbox: setup
	@$(BIN)/health-assistant sandbox

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# The patient app's browser test drives Debian's Chromium with Playwright (its own browser download
# does not work offline).
chromium:
	@test -x /usr/bin/chromium || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || echo "Chromium missing: the patient app's browser test will fail (apt-get install chromium)"; }

pytest: setup chromium postgres
	$(BIN)/pytest -q

# The clinic API's scale-out test starts a PostgreSQL server from the Debian package.
postgres:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql) || echo "PostgreSQL is not installed: the API scale-out test will be skipped"

# The offline safety suites, gated by evals/thresholds.yaml (exit 1 below a threshold); the report and
# log are kept for CI artifacts.
eval: setup
	$(BIN)/health-assistant eval --report eval-report.html --json eval-log.json

test: setup lint typecheck pytest eval

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) sandbox/node_modules .pytest_cache .mypy_cache .ruff_cache
