#!/usr/bin/env bash
# Mutation testing of the hot and critical modules, outside CI, in bounded time.
#
# mutmut (PyPI, pinned below) changes one thing at a time in a module (an operator, a
# constant, a comparison...) and runs that module's tests: a mutant the tests do not
# notice ("survived") is a behaviour nothing checks. Runs in a scratch copy of the tree
# (the working tree is never touched), one module after another, each bounded by
# MUTATION_BUDGET_S seconds (default 900); a module that runs out of time reports what it
# got through. The score and the survivors go into docs/testing.md by hand.
#
#   scripts/mutation.sh                 # every module in SCOPE
#   scripts/mutation.sh retry batch     # some of them
#
# New subsystems (viewer receivers, instrumentations) join SCOPE as they land.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
budget=${MUTATION_BUDGET_S:-900}

# key -> "module to mutate|tests that cover it"
declare -A SCOPE=(
  [tracecontext]="src/otel/trace/propagation/_tracecontext.py|tests/trace/propagation"
  [b3]="src/otel/propagators/b3/_b3.py|tests/propagators"
  [jaeger]="src/otel/propagators/jaeger/_jaeger.py|tests/propagators"
  [baggage]="src/otel/baggage/propagation/_w3c.py|tests/baggage"
  [batch]="src/otel/sdk/_batch.py|tests/sdk/test_batch.py tests/sdk/trace/test_batch_span_processor.py"
  [retry]="src/otel/exporter/otlp/_retry.py|tests/exporter/otlp/test_retry.py"
  [attributes]="src/otel/attributes/_attributes.py|tests/attributes tests/sdk/trace/test_limits.py"
  [stream]="src/otel/sdk/metrics/_stream.py|tests/sdk/metrics"
  [wire]="src/otel/exporter/otlp/_proto/_wire.py|tests/exporter/otlp/test_encode_trace.py tests/exporter/otlp/test_encode_metrics.py tests/exporter/otlp/test_encode_logs.py"
  [encode_trace]="src/otel/exporter/otlp/_proto/_encode_trace.py|tests/exporter/otlp/test_encode_trace.py"
)
ORDER=(retry batch attributes tracecontext baggage b3 jaeger wire encode_trace stream)
keys=("$@")
[ ${#keys[@]} -eq 0 ] && keys=("${ORDER[@]}")

"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check 'mutmut==2.5.1' || exit 1

work=$(mktemp -d /tmp/otel-mutation.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r src tests pyproject.toml "$work"/
cd "$work"
find . -name __pycache__ -prune -exec rm -rf {} +
# no bytecode caches: a mutant of the same length written in the same second as the
# cached original would otherwise be run as the original (and "survive")
export PYTHONDONTWRITEBYTECODE=1
# the copy's otel, not the editable install of the working tree
export PYTHONPATH="$work/src"
export PATH="$root/.venv/bin:$PATH"

summary="$root/mutation-summary.txt"
: > "$summary"
for key in "${keys[@]}"; do
  entry=${SCOPE[$key]:-}
  if [ -z "$entry" ]; then
    echo "mutation: unknown module key $key (known: ${ORDER[*]})"; exit 2
  fi
  module=${entry%%|*}
  tests=${entry#*|}
  echo "mutation: $key ($module) against $tests, at most ${budget}s"
  rm -f .mutmut-cache
  timeout "$budget" mutmut run --paths-to-mutate "$module" --no-progress \
    --runner "python -m pytest -x -q -p no:cacheprovider $tests" >/dev/null 2>&1
  status=$?
  [ $status -eq 124 ] && note=" (budget reached: partial)" || note=""
  # counts from mutmut's cache (``mutmut results`` lists survivors but not the killed)
  counts=$(python - <<'PY'
import sqlite3
rows = dict(sqlite3.connect(".mutmut-cache").execute(
    "select status, count(*) from Mutant group by status").fetchall())
killed = rows.get("ok_killed", 0) + rows.get("ok_suspicious", 0)
survived = rows.get("bad_survived", 0)
timeout = rows.get("bad_timeout", 0)  # a mutant that hangs the tests: caught
untested = rows.get("untested", 0) + rows.get("skipped", 0)
tested = killed + survived + timeout
score = 100.0 * (killed + timeout) / tested if tested else 0.0
print(f"tested={tested} killed={killed} timeout={timeout} survived={survived} "
      f"not_reached={untested} score={score:.0f}%")
PY
)
  {
    echo "== $key: $module$note"
    echo "$counts"
    python - <<'PY'
import sqlite3
db = sqlite3.connect(".mutmut-cache")
for (mutant_id,) in db.execute("select id from Mutant where status = 'bad_survived' order by id"):
    print(mutant_id)
PY
  } > "part-$key.txt"
  head -2 "part-$key.txt" | tee -a "$summary"
  for id in $(tail -n +3 "part-$key.txt"); do
    echo "  survivor $id:" | tee -a "$summary"
    mutmut show "$id" 2>/dev/null | grep -E '^[-+][^-+]' | head -2 | sed 's/^/    /' | tee -a "$summary"
  done
done
echo "mutation: summary written to $summary"
