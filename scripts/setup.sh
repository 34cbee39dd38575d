#!/usr/bin/env bash
# Idempotent set-up for the demo and the test suite on a fresh Debian machine:
# system packages the tests need (installed only when missing), .venv, otel + test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages used by tests against real peers. Add to this list, never install by hand.
# openssl: the OTLP TLS tests make a throw-away CA with it.
# postgresql: the psycopg instrumentation tests run a real PostgreSQL server.
# prometheus: the real Prometheus server and promtool the Prometheus exporter tests run
#   (tests start their own server; the Debian service is never used).
# chromium: the viewer's browser tests drive it with playwright (tests/viewer/ui).
SYSTEM_PACKAGES=(openssl postgresql prometheus chromium ${OTEL_SYSTEM_PACKAGES:-})

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

# Test peers built from pinned Go modules (the OpenTelemetry Collector, Jaeger v2):
# scripts/build-peers.sh is idempotent; the first build takes minutes, later runs none.
bash scripts/build-peers.sh
# Test-only peer code extracted from pinned wheels (never installed, never imported by otel):
# Jaeger's generated Thrift IDL types (decode our Jaeger datagrams with the `thrift` package)
# and Zipkin's compiled zipkin.proto (decode our Zipkin protobuf bodies). Into ignored dirs.
peers=tests/peers
if [ ! -f "$peers/.jaeger-gen/.installed" ] || [ ! -f "$peers/.zipkin-gen/.installed" ]; then
  echo "setup: extracting Jaeger Thrift and Zipkin protobuf IDL code for the exporter tests"
  tmp=$(mktemp -d)
  .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" \
    opentelemetry-exporter-jaeger-thrift==1.21.0 opentelemetry-exporter-zipkin-proto-http==1.21.0
  rm -rf "$peers/.jaeger-gen" "$peers/.zipkin-gen"
  mkdir -p "$peers/.jaeger-gen" "$peers/.zipkin-gen"
  .venv/bin/python - "$tmp" "$peers" <<'PY'
import pathlib, sys, zipfile
tmp, peers = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for wheel in tmp.glob("*.whl"):
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if "/jaeger/thrift/gen/" in name and name.endswith(".py"):
                rel = name.split("/thrift/gen/", 1)[1]
                out = peers / ".jaeger-gen" / rel
            elif name.endswith("/zipkin_pb2.py"):
                out = peers / ".zipkin-gen" / "zipkin_pb2.py"
            else:
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(zf.read(name))
PY
  touch "$peers/.jaeger-gen/.installed" "$peers/.zipkin-gen/.installed"
  rm -rf "$tmp"
fi

# The last official Jaeger exporter and the Zipkin JSON exporter pin older OpenTelemetry
# releases: they get their own venv, used only by benchmarks/bench_jaeger_zipkin.py.
legacy=benchmarks/.venv-official-legacy
lstamp=$legacy/.installed
if [ ! -f "$lstamp" ] || [ benchmarks/requirements-official-legacy.txt -nt "$lstamp" ]; then
  echo "setup: installing the official Jaeger/Zipkin exporters into $legacy (benchmark peer)"
  [ -x "$legacy/bin/python" ] || "$PYTHON" -m venv "$legacy"
  "$legacy/bin/python" -m pip install -q --disable-pip-version-check -r benchmarks/requirements-official-legacy.txt
  touch "$lstamp"
fi

# The official contrib instrumentations pin API/SDK 1.45.1: their own venv, used only
# by benchmarks/bench_dbapi.py and bench_instrumentation.py.
dbapi=benchmarks/.venv-official-contrib
dstamp=$dbapi/.installed
if [ ! -f "$dstamp" ] || [ benchmarks/requirements-official-contrib.txt -nt "$dstamp" ]; then
  echo "setup: installing the official contrib instrumentations into $dbapi (benchmark peer)"
  [ -x "$dbapi/bin/python" ] || "$PYTHON" -m venv "$dbapi"
  "$dbapi/bin/python" -m pip install -q --disable-pip-version-check -r benchmarks/requirements-official-contrib.txt
  touch "$dstamp"
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
