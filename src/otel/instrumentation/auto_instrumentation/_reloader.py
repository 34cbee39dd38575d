"""The werkzeug reloader (``flask run --debug``, ``app.run(debug=True)``) under ``otel run``.

The reloader's first process only watches files and restarts a child (a new interpreter,
``WERKZEUG_RUN_MAIN=true``, which ``otel run``'s bootstrap configures again). That watcher
imported the application too, so whatever it recorded would duplicate the child's: when it
becomes the watcher (``ReloaderLoop.restart_with_reloader``), its exporters are closed.
werkzeug is not imported for this: an import hook patches ``werkzeug._reloader`` when the
application imports it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any


def _patch(module: ModuleType, on_watcher: Callable[[], None]) -> None:
    loop = getattr(module, "ReloaderLoop", None)
    original = getattr(loop, "restart_with_reloader", None)
    if loop is None or original is None or getattr(original, "_otel_patched", False):
        return

    def restart_with_reloader(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            on_watcher()
        except Exception:  # pragma: no cover - never break the reloader
            pass
        return original(self, *args, **kwargs)

    restart_with_reloader._otel_patched = True  # type: ignore[attr-defined]
    loop.restart_with_reloader = restart_with_reloader


class _Finder(importlib.abc.MetaPathFinder):
    """Patches ``werkzeug._reloader`` right after it is executed."""

    def __init__(self, on_watcher: Callable[[], None]) -> None:
        self._on_watcher = on_watcher

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "werkzeug._reloader":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        on_watcher = self._on_watcher
        exec_module = loader.exec_module

        def exec_and_patch(module: ModuleType) -> None:
            exec_module(module)
            _patch(module, on_watcher)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def watch_werkzeug_reloader(on_watcher: Callable[[], None]) -> None:
    """Call ``on_watcher()`` in the process that becomes the werkzeug reloader's watcher."""
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        return  # the serving child: it exports
    module = sys.modules.get("werkzeug._reloader")
    if module is not None:
        _patch(module, on_watcher)
        return
    sys.meta_path.insert(0, _Finder(on_watcher))
