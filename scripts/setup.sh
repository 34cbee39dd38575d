#!/usr/bin/env bash
# Idempotent set-up for the demo and the test suite on a fresh Debian machine:
# system packages the tests need (installed only when missing), .venv, otel + test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages used by tests against real peers. Add to this list, never install by hand.
# openssl: the OTLP TLS tests make a throw-away CA with it.
SYSTEM_PACKAGES=(openssl ${OTEL_SYSTEM_PACKAGES:-})

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.otel-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing otel (editable) with its test extras"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi

# The official OpenTelemetry SDK lives in its own venv: a test oracle (interop tests run it
# in a subprocess) and the benchmarks' peer. Never installed into .venv, never imported by otel.
official=benchmarks/.venv-official
ostamp=$official/.installed
if [ ! -f "$ostamp" ] || [ benchmarks/requirements-official.txt -nt "$ostamp" ]; then
  echo "setup: installing the official OpenTelemetry SDK into $official (oracle and benchmark peer)"
  [ -x "$official/bin/python" ] || "$PYTHON" -m venv "$official"
  "$official/bin/python" -m pip install -q --disable-pip-version-check -r benchmarks/requirements-official.txt
  touch "$ostamp"
fi

# The official OpenTelemetry JavaScript SDK: a test peer of `otel view` (tests/viewer), installed
# from its pinned lock file into tests/peers/js/node_modules when Node.js is on the machine.
if command -v npm >/dev/null 2>&1; then
  jsstamp=tests/peers/js/node_modules/.installed
  if [ ! -f "$jsstamp" ] || [ tests/peers/js/package-lock.json -nt "$jsstamp" ]; then
    echo "setup: installing the official OpenTelemetry JS SDK into tests/peers/js (viewer test peer)"
    (cd tests/peers/js && npm ci --no-audit --no-fund --silent)
    touch "$jsstamp"
  fi
fi
