"""What the ``otel run`` bootstrap does in the program's process, before its own code.

``initialize()``: configure the SDK from the OTEL_* variables
(``otel.sdk._configuration``), instrument every installed library of the registry except
those in ``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS``, and prepare for the werkzeug reloader
(its watching parent process stops exporting, so only the serving child reports). Runs
once per process; never raises (problems are one line each on stderr).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

from otel.instrumentation._registry import INSTRUMENTATIONS

_state: dict[str, Any] = {}


def _warn(message: str) -> None:
    sys.stderr.write(f"otel: {message}\n")


def _installed(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except (ImportError, ValueError):
        return False


def disabled_instrumentations() -> set[str]:
    raw = os.environ.get("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", "")
    return {name.strip().lower() for name in raw.split(",") if name.strip()}


def instrument_installed() -> list[str]:
    """Instrument every registry entry whose library is installed; the names applied."""
    disabled = disabled_instrumentations()
    applied: list[str] = []
    for name, (target, library) in INSTRUMENTATIONS.items():
        if name in disabled or not _installed(library):
            continue
        module_name, _, class_name = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # this otel build has no such instrumentation
        try:
            getattr(module, class_name)().instrument()
        except Exception as exc:
            _warn(f"instrumenting {name} failed: {type(exc).__name__}: {exc}")
            continue
        applied.append(name)
    return applied


def initialize() -> None:
    """Configure the SDK and instrument installed libraries, once per process."""
    if _state.get("initialized"):
        return
    _state["initialized"] = True
    try:
        from otel.sdk._configuration import configure_sdk

        components = configure_sdk()
        _state["components"] = components  # kept alive: its fork hook holds it weakly
    except Exception as exc:
        _warn(f"SDK configuration failed: {type(exc).__name__}: {exc}")
        components = None
    _state["instrumented"] = instrument_installed()
    if components is not None:
        from otel.instrumentation.auto_instrumentation._reloader import watch_werkzeug_reloader

        watch_werkzeug_reloader(components.close_gates)
