# Two commands matter: `make run` and `make test`. Both set everything up from scratch on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
NODE_STAMP := sandbox/node_modules/.installed
# The clock-sensitive tests run a second time with the machine's clock faked (time-machine, in process:
# `pytest --fake-now`) to one of these Paris times, a different one each day of the year: a Saturday, a
# Friday at 23:30, New Year's Eve, and a minute before the clocks go forward.
FAKE_NOWS := 2026-12-05T10:00:00+01:00 2026-12-04T23:30:00+01:00 2026-12-31T23:50:00+01:00 2027-03-28T01:59:00+01:00

.PHONY: run test setup setup-run lint typecheck pytest pytest-clock eval bench clean sandbox chromium postgres

# Everything the tests need (dev tools and the llm-test extra, which builds llama.cpp: minutes, a compiler).
setup: $(STAMP) $(NODE_STAMP)

# Only what running needs: the package and its runtime dependencies, no compiler, no llama.cpp.
setup-run: $(RUN_STAMP) $(NODE_STAMP)

$(VENV)/bin/python:
	@command -v $(PY) >/dev/null || { echo "python3 is required (>= 3.11)"; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	@touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	@# llm-test builds llama.cpp from source once (minutes); pip caches the wheel, so later installs are quick.
	@# Not built for this CPU's newest instructions: a native build with AVX-512/AMX segfaults on the first
	@# completion on some machines of this kind (seen 2026-12-06); AVX2 runs everywhere the tests run.
	CMAKE_ARGS="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_BF16=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip install -q -e ".[dev,llm-test]"
	@touch $(STAMP) $(RUN_STAMP)

$(NODE_STAMP): sandbox/package.json sandbox/package-lock.json
	@command -v node >/dev/null || { (apt-get update -qq && apt-get install -y -qq nodejs npm) || { echo "Node.js >= 20 is required for the sandbox"; exit 2; }; }
	cd sandbox && npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

run: setup-run
	@$(BIN)/health-assistant run

sandbox: setup-run
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
	$(BIN)/pytest -q -n auto --dist loadfile

# The tests marked `clock` (booking, scheduling, the clinic's slots, turns that take a clock) again, with the
# machine's clock faked: they take "now" from a frozen test clock, so the machine's date must not matter.
pytest-clock: setup
	@nows=($(FAKE_NOWS)); now="$${nows[$$(( 10#$$(date +%j) % $${#nows[@]} ))]}"; \
	echo "clock-sensitive tests again, machine clock faked to $$now"; \
	$(BIN)/pytest -q -m clock -p no:cacheprovider --fake-now "$$now"

# The clinic API's scale-out test starts a PostgreSQL server from the Debian package.
postgres:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql) || echo "PostgreSQL is not installed: the API scale-out test will be skipped"

# The offline safety suites, gated by evals/thresholds.yaml (exit 1 below a threshold); the report and
# log are kept for CI artifacts.
eval: setup
	$(BIN)/health-assistant eval --report eval-report.html --json eval-log.json

test: setup lint typecheck pytest pytest-clock eval

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) sandbox/node_modules .pytest_cache .mypy_cache .ruff_cache
