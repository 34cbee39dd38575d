#!/usr/bin/env bash
# Idempotent set-up for `make demo` alone: .venv with otel and what the demo app runs on
# (Flask, requests — the `demo` extra). No system packages, no test peers: those are
# scripts/setup.sh's job (make test), which installs a superset into the same .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
full=.venv/.otel-installed   # written by scripts/setup.sh: the test extras include the demo's
stamp=.venv/.otel-demo-installed
fresh() { [ -f "$1" ] && ! [ pyproject.toml -nt "$1" ]; }
if ! fresh "$full" && ! fresh "$stamp"; then
  echo "setup: installing otel (editable) with the demo's extras (Flask, requests)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[demo]'
  touch "$stamp"
fi
