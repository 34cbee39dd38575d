"""The suppression keys as context managers and cheap checks (API only, no locks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from otel.context import (
    _SUPPRESS_HTTP_INSTRUMENTATION_KEY,
    _SUPPRESS_INSTRUMENTATION_KEY,
    attach,
    detach,
    get_current,
    set_value,
)


def is_instrumentation_enabled() -> bool:
    """False while the current context suppresses instrumentation (otel is exporting)."""
    return not get_current().get(_SUPPRESS_INSTRUMENTATION_KEY)


def is_http_instrumentation_enabled() -> bool:
    """False while all instrumentation, or HTTP client instrumentation, is suppressed."""
    current = get_current()
    return not (
        current.get(_SUPPRESS_INSTRUMENTATION_KEY)
        or current.get(_SUPPRESS_HTTP_INSTRUMENTATION_KEY)
    )


@contextmanager
def _suppressing(*keys: str) -> Iterator[None]:
    context = get_current()
    for key in keys:
        context = set_value(key, True, context)
    token = attach(context)
    try:
        yield
    finally:
        detach(token)


def suppress_instrumentation() -> AbstractContextManager[None]:
    """Within the block, every instrumentation records nothing. Thread/task local."""
    return _suppressing(_SUPPRESS_INSTRUMENTATION_KEY)


def suppress_http_instrumentation() -> AbstractContextManager[None]:
    """Within the block, HTTP client instrumentations record nothing."""
    return _suppressing(_SUPPRESS_HTTP_INSTRUMENTATION_KEY)
