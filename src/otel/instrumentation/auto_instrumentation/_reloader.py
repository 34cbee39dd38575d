"""The werkzeug reloader (``flask run --debug``, ``app.run(debug=True)``) under ``otel run``.

The reloader's first process only watches files and restarts a child (a new interpreter,
``WERKZEUG_RUN_MAIN=true``, which ``otel run``'s bootstrap configures again). That watcher
imported the application too, so whatever it recorded would duplicate the child's: when it
becomes the watcher (``ReloaderLoop.restart_with_reloader``), its exporters are closed.
werkzeug is not imported for this: a post-import hook patches ``werkzeug._reloader`` when
the application imports it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

from otel.instrumentation.auto_instrumentation._hooks import when_imported

_PATCHED = "_otel_patched"  # marks our restart_with_reloader


def _patch(module: ModuleType, on_watcher: Callable[[], None]) -> None:
    loop = getattr(module, "ReloaderLoop", None)
    original = getattr(loop, "restart_with_reloader", None)
    if loop is None or original is None or getattr(original, _PATCHED, False):
        return

    def restart_with_reloader(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            on_watcher()
        except Exception:  # pragma: no cover - never break the reloader
            pass
        return original(self, *args, **kwargs)

    setattr(restart_with_reloader, _PATCHED, True)
    loop.restart_with_reloader = restart_with_reloader


def watch_werkzeug_reloader(on_watcher: Callable[[], None]) -> None:
    """Call ``on_watcher()`` in the process that becomes the werkzeug reloader's watcher."""
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        return  # the serving child: it exports
    when_imported("werkzeug._reloader", lambda module: _patch(module, on_watcher))
