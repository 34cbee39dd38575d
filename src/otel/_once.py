"""``FirstSeen``: the bounded "have we logged this already?" set behind every log-once.

Per-request problems (an invalid attribute, an unsendable baggage entry, a processor
failing on every record) must be logged once per key, not once per call, and the memory
of which keys were logged must not grow with traffic. Shared by the attribute validator,
the propagators and the logs SDK. Stdlib only, so the API layer can use it.
"""

from __future__ import annotations

import sys
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from _weakref import ref as _weak_ref  # weakref.ref, without importing weakref
from collections.abc import Hashable

from otel._fork import renew_lock_after_fork

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging

    from otel._log import LazyLogger


class FirstSeen:
    """Remembers up to ``max_keys`` keys; ``first(key)`` is True once per key.

    Thread-safe: a key is reported first to exactly one caller. Once full, new keys are
    never "first" (check ``full`` to log them some cheaper way). Its lock is renewed in a
    forked child, where another thread may have held it at fork time.
    """

    __slots__ = ("__weakref__", "_keys", "_lock", "max_keys")

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self._keys: set[Hashable] = set()
        self._lock = allocate_lock()
        renew_lock_after_fork(self)
        with _ALL_LOCK:
            _ALL[:] = [ref for ref in _ALL if ref() is not None]
            _ALL.append(_weak_ref(self))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    @property
    def full(self) -> bool:
        return len(self._keys) >= self.max_keys

    def first(self, key: Hashable) -> bool:
        """True the first time ``key`` is seen (and there is room to remember it)."""
        if key in self._keys:
            return False
        with self._lock:
            if key in self._keys or len(self._keys) >= self.max_keys:
                return False
            self._keys.add(key)
        return True

    def clear(self) -> None:
        """Forget every key (``otel.testing.reset_globals``, tests)."""
        with self._lock:
            self._keys.clear()


_ALL_LOCK = allocate_lock()
renew_lock_after_fork(sys.modules[__name__], "_ALL_LOCK")  # a child never inherits it held
_ALL: list[_weak_ref[FirstSeen]] = []  # every FirstSeen alive, for forget_all()


def forget_all() -> None:
    """Forget every key of every ``FirstSeen`` in the process: each once-only warning can
    be logged again (``otel.testing.reset_globals``)."""
    with _ALL_LOCK:
        alive = [ref() for ref in _ALL]
    for seen in alive:
        if seen is not None:
            seen.clear()


_REPORTED = FirstSeen(256)


def report_once(
    logger: logging.Logger | LazyLogger, key: Hashable, message: str, *args: object
) -> None:
    """Log ``message`` with the current exception's traceback, once per ``key``.

    A component that fails on every span or record (a broken processor, sampler or
    exporter) must not turn each call into a traceback of its own: that is I/O on the
    request path, and the log fills with copies of one problem.
    """
    if _REPORTED.first(key):
        logger.exception(message + " (reported once)", *args)


def reset_reported() -> None:
    """Forget what ``report_once`` reported (``otel.testing.reset_globals``, tests)."""
    _REPORTED.clear()
