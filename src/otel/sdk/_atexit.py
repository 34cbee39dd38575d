"""Providers shut down (flushing their processors) when the interpreter exits.

``shutdown_at_exit(provider)`` registers ``provider.shutdown()`` with ``atexit`` through a
weak reference, so a provider that is dropped can still be garbage-collected; the returned
handler is what the provider passes to ``atexit.unregister`` when shut down earlier. A
failing shutdown at exit is logged, not printed as an unhandled atexit error.

Forked children: ``multiprocessing`` (``fork`` and ``forkserver``) ends its children with
``os._exit`` after ``threading``'s own shutdown, so ``atexit`` never runs there. In a
forked child, and in any ``multiprocessing`` child process (a ``forkserver`` child
usually sets the SDK up only after its fork, when it imports the main module), the same
handlers are therefore also registered with ``threading``'s exit hooks (the ones
``concurrent.futures`` uses), which run on that path and on a normal exit; a provider
already shut down is skipped, so nothing runs twice.
"""

from __future__ import annotations

import atexit
import os
import sys
from _weakref import ref as weakref_ref  # weakref.ref itself, without importing weakref
from collections.abc import Callable

from otel._log import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Protocol

    class _ShutsDown(Protocol):
        def shutdown(self) -> object: ...


_logger = get_logger("otel.sdk")
# (weak provider, handler) of every provider registered in this process (dead ones pruned)
_handlers: list[tuple[Callable[[], object], Callable[[], None]]] = []
_fork_hook_installed = False
_forked = False  # this process is a forked child (set by the hook below)


def _is_shut_down(provider: object) -> bool:
    # the tracer and logger providers say ``_is_shutdown``, the meter provider ``_shutdown``
    return (
        getattr(provider, "_is_shutdown", False) is True
        or getattr(provider, "_shutdown", False) is True
    )


def shutdown_at_exit(provider: _ShutsDown) -> Callable[[], None]:
    """Register ``provider.shutdown()`` to run at exit; return the registered handler."""
    ref = weakref_ref(provider)

    def shutdown_provider_at_exit() -> None:
        alive = ref()
        if alive is None or _is_shut_down(alive):
            return
        try:
            alive.shutdown()
        except Exception:
            _logger.exception("Shutting down %r at exit failed", alive)

    atexit.register(shutdown_provider_at_exit)
    _remember_for_forked_children(ref, shutdown_provider_at_exit)
    return shutdown_provider_at_exit


def _remember_for_forked_children(ref: Callable[[], object], handler: Callable[[], None]) -> None:
    global _fork_hook_installed
    _handlers[:] = [(r, h) for r, h in _handlers if r() is not None]
    _handlers.append((ref, handler))
    if _forked or _in_multiprocessing_child():  # its exit may skip ``atexit``
        _register_with_threading(handler)
    if not _fork_hook_installed and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_arm_threading_exit_in_child)
        _fork_hook_installed = True


def _in_multiprocessing_child() -> bool:
    """True inside a ``multiprocessing`` child: while it imports the main module and
    unpickles its target (``_inheriting``), or once the target runs (``_parent_process``)."""
    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return False
    try:
        return (
            getattr(process, "_parent_process", None) is not None
            or getattr(process.current_process(), "_inheriting", False) is True
        )
    except Exception:  # pragma: no cover - a future CPython's private names
        return False


def _arm_threading_exit_in_child() -> None:
    """In a forked child: run the live providers' exit handlers at ``threading`` shutdown."""
    global _forked
    _forked = True
    for ref, handler in list(_handlers):
        if ref() is not None:
            _register_with_threading(handler)


def _register_with_threading(handler: Callable[[], None]) -> None:
    threading = sys.modules.get("threading")
    register = getattr(threading, "_register_atexit", None)
    if register is None:  # pragma: no cover - no threads imported, or a future CPython
        return
    try:
        register(handler)
    except Exception:  # pragma: no cover - threading is already shutting down
        pass
