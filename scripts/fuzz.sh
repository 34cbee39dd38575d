#!/usr/bin/env bash
# The long fuzz run (issue 14 item 7): every hypothesis test of the suite — the viewer's
# receivers (protobuf, JSON, gzip, Zipkin, Jaeger UDP), the Jaeger Thrift decoder, the
# propagators' extract, the OTLP encoders, hostile objects — with many more examples than
# the suite uses. Derandomized under CI=true like the suite.
#   scripts/fuzz.sh                 # 5000 examples per test
#   OTEL_FUZZ_EXAMPLES=50000 scripts/fuzz.sh tests/viewer/test_fuzz_receivers.py
set -euo pipefail
cd "$(dirname "$0")/.."
export OTEL_FUZZ=1
export OTEL_FUZZ_EXAMPLES="${OTEL_FUZZ_EXAMPLES:-5000}"
if [ "$#" -eq 0 ]; then
  set -- $(grep -rl --include='test_*.py' -e '@given' tests)
fi
exec .venv/bin/pytest -q -p no:cacheprovider --timeout=3600 "$@"
