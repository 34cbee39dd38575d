# The README's two commands are `make demo` and `make test`; CI runs `make test`.
BIN := .venv/bin
LINTED := src tests benchmarks examples

.PHONY: demo setup-demo test setup lint typecheck pytest other-pythons bench

# The viewer and an instrumented two-service app; open http://127.0.0.1:16686, Ctrl-C stops.
# Needs only .venv (otel + Flask + requests), so it is ready in a minute on a fresh machine.
demo: setup-demo
	$(BIN)/otel demo $(ARGS)

setup-demo:
	@bash scripts/setup-demo.sh

test: setup lint typecheck pytest other-pythons

setup:
	@bash scripts/setup.sh

lint:
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck:
	$(BIN)/mypy --strict src

pytest:
	$(BIN)/pytest

# requires-python is >=3.10: the suite also runs under the other CPythons on the machine.
other-pythons:
	@bash scripts/test-other-pythons.sh

# Side-by-side benchmarks against the official SDK (installed only in its own venv).
bench: setup
	$(BIN)/python benchmarks/_harness.py $(ARGS)
