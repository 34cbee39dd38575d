"""Providers shut down (flushing their processors) when the interpreter exits.

``shutdown_at_exit(provider)`` registers ``provider.shutdown()`` with ``atexit`` through a
weak reference, so a provider that is dropped can still be garbage-collected; the returned
handler is what the provider passes to ``atexit.unregister`` when shut down earlier. A
failing shutdown at exit is logged, not printed as an unhandled atexit error.
"""

from __future__ import annotations

import atexit
from _weakref import ref as weakref_ref  # weakref.ref itself, without importing weakref
from collections.abc import Callable

from otel._log import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Protocol

    class _ShutsDown(Protocol):
        def shutdown(self) -> object: ...


_logger = get_logger("otel.sdk")


def shutdown_at_exit(provider: _ShutsDown) -> Callable[[], None]:
    """Register ``provider.shutdown()`` to run at exit; return the registered handler."""
    ref = weakref_ref(provider)

    def shutdown_provider_at_exit() -> None:
        alive = ref()
        if alive is None:
            return
        try:
            alive.shutdown()
        except Exception:
            _logger.exception("Shutting down %r at exit failed", alive)

    atexit.register(shutdown_provider_at_exit)
    return shutdown_provider_at_exit
