"""Real peers (oracles): where they are, and what a test does when one is missing.

Locally a missing peer skips the test that needs it; under ``CI=true`` it FAILS the test,
so an oracle can never go missing quietly (issue 19). Use :func:`peer_missing` instead of
``pytest.skip`` / ``pytest.importorskip`` for anything that is a peer.
"""

from __future__ import annotations

import functools
import importlib
import os
import subprocess
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_PYTHON = ROOT / "benchmarks" / ".venv-official" / "bin" / "python"
# every official package the suite uses as an oracle (benchmarks/requirements-official.txt)
OFFICIAL_ORACLE_MODULES = (
    "opentelemetry.sdk.trace",
    "opentelemetry.sdk.metrics",
    "opentelemetry.sdk._logs",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
    "opentelemetry.propagators.b3",
    "opentelemetry.propagators.jaeger",
)


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def peer_missing(reason: str) -> NoReturn:
    """Skip the calling test locally; fail it under CI=true."""
    if in_ci():
        pytest.fail(f"real peer missing under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def import_peer(module: str) -> ModuleType:
    """``importlib.import_module(module)`` for a peer package in the test venv."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        peer_missing(f"{module} is not installed: {exc}")


@functools.cache
def official_problem(modules: tuple[str, ...] = OFFICIAL_ORACLE_MODULES) -> str | None:
    """None when the official venv imports every one of ``modules``, else what is wrong."""
    if not OFFICIAL_PYTHON.exists():
        return f"official SDK venv missing ({OFFICIAL_PYTHON}); run scripts/setup.sh"
    script = "import importlib\n" + "".join(
        f"importlib.import_module({module!r})\n" for module in modules
    )
    proc = subprocess.run(
        [str(OFFICIAL_PYTHON), "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1:] or ["(no output)"]
        return f"an official oracle package is missing from the official venv: {last[0]}"
    return None


def require_official_python() -> str:
    """The official interpreter with every oracle importable (skip/fail otherwise)."""
    problem = official_problem()
    if problem is not None:
        peer_missing(problem)
    return str(OFFICIAL_PYTHON)
