#!/usr/bin/env bash
# Run the pytest suite under every other supported CPython found on this machine
# (requires-python >= 3.10), each in its own venv (.venv-pyX.Y). A version that is not
# installed is reported and skipped; a failing one fails the run.
set -euo pipefail
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

current=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
for v in 3.10 3.11 3.12 3.13; do
  [ "$v" = "$current" ] && continue
  if ! py=$(find_python "$v"); then
    echo "other pythons: CPython $v not installed here, skipped"
    continue
  fi
  venv=".venv-py$v"
  stamp="$venv/.otel-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
    touch "$stamp"
  fi
  echo "other pythons: pytest under CPython $v"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider
done
