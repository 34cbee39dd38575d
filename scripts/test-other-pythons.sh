#!/usr/bin/env bash
# Run the core suite (API, SDK, propagators, OTLP and the exporter transport: the pure-Python
# code whose behaviour can differ between interpreters) under every other supported CPython
# found on this machine (requires-python >= 3.10), each in its own venv (.venv-pyX.Y) with
# the `test-core` extra. The whole suite, real peers included, runs under .venv's CPython.
# Every version is tried even when one fails; the summary at the end says, per version,
# passed / FAILED / NOT TESTED (not installed here). A failure fails the run; under CI=true a version that
# could not be tested fails it too (it must not look like a success).
set -uo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local v=$1 candidate
  for candidate in "python$v" "$HOME"/.pyenv/versions/"$v".*/bin/python; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))))" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

CORE_TESTS=(
  tests/attributes tests/baggage tests/context tests/logs tests/metrics tests/propagate
  tests/propagators tests/sdk tests/trace tests/testing tests/exporter/otlp
  tests/exporter/transport tests/test_layers.py tests/test_log.py tests/test_hostile_objects.py
)

current=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
passed=() failed=() untested=()
for v in 3.10 3.11 3.12 3.13; do
  [ "$v" = "$current" ] && continue
  if ! py=$(find_python "$v"); then
    echo "other pythons: CPython $v not installed here: NOT TESTED"
    untested+=("$v")
    continue
  fi
  venv=".venv-py$v"
  stamp="$venv/.otel-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    { [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"; } \
      && "$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test-core]' \
      && touch "$stamp" \
      || { echo "other pythons: setting up $venv failed"; failed+=("$v"); continue; }
  fi
  echo "other pythons: pytest under CPython $v"
  if "$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not interop" "${CORE_TESTS[@]}"; then
    passed+=("$v")
  else
    failed+=("$v")
  fi
done

echo
echo "other pythons: summary (the main suite ran under CPython $current)"
echo "  passed:     ${passed[*]:-none}"
echo "  FAILED:     ${failed[*]:-none}"
echo "  NOT TESTED: ${untested[*]:-none}"
if [ ${#failed[@]} -gt 0 ]; then
  exit 1
fi
if [ ${#untested[@]} -gt 0 ] && [ "${CI:-}" = "true" ]; then
  echo "other pythons: CI=true and some supported versions were not tested: failing"
  exit 1
fi
