#!/usr/bin/env bash
# Build the test peers from their pinned Go modules (idempotent): the OpenTelemetry
# Collector distribution in tests/peers/collector/ and, when it builds here, Jaeger v2.
# A binary newer than its go.mod/go.sum/main.go is kept. Prints one line per binary last:
#   otelcol=<absolute path>
#   jaeger=<absolute path>
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/tests/peers/.bin"
mkdir -p "$bin"

build() {  # build NAME DIR [PACKAGE]: go build DIR's module into $bin/NAME when stale
  local name=$1 dir=$2 package=${3:-.} out="$bin/$1"
  if [ -x "$out" ] && [ -z "$(find "$dir" -maxdepth 1 \( -name go.mod -o -name go.sum -o -name '*.go' \) -newer "$out")" ]; then
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "build-peers: go is not installed; cannot build $name" >&2
    return 1
  fi
  echo "build-peers: building $name (first build downloads modules and takes minutes)" >&2
  local start=$SECONDS
  (cd "$dir" && go build -trimpath -ldflags="-s -w" -o "$out.tmp" "$package") && mv "$out.tmp" "$out"
  echo "build-peers: $name built in $((SECONDS - start)) s" >&2
}

status=0
build otelcol tests/peers/collector || status=1
if [ -d tests/peers/jaeger ]; then
  build jaeger tests/peers/jaeger github.com/jaegertracing/jaeger/cmd/jaeger || status=1
fi
[ -x "$bin/otelcol" ] && echo "otelcol=$bin/otelcol"
[ -x "$bin/jaeger" ] && echo "jaeger=$bin/jaeger"
exit $status
