"""Immutable execution context, carried by one ``contextvars.ContextVar``.

Because the carrier is a ``ContextVar``, the current context follows asyncio tasks
and threads started with ``contextvars.copy_context().run``; a plain new thread
starts from the empty context, as the specification expects.
"""

from __future__ import annotations

import os
from contextvars import ContextVar, Token

from otel._log import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_logger = get_logger("otel.context")


class Context(dict[str, object]):
    """An immutable mapping of keys (from :func:`create_key`) to values.

    Every "change" returns a new ``Context``; the mutating ``dict`` methods raise
    ``TypeError`` so a context shared between tasks can never change under them.
    Thread-safe because it never changes.
    """

    __slots__ = ()

    def __setitem__(self, key: str, value: object) -> None:
        raise TypeError("Context is immutable; use otel.context.set_value")

    def __delitem__(self, key: str) -> None:
        raise TypeError("Context is immutable")

    def _immutable(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Context is immutable")

    clear = pop = popitem = setdefault = update = __ior__ = _immutable

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)


EMPTY_CONTEXT = Context()

# What the ContextVar holds: a ``Context``, or a *span frame* ``[base, span, cached]``
# that a span scope sets instead of building a new Context per ``with``: "``base`` (a
# Context or another frame) plus ``span`` under ``_SPAN_KEY``". ``get_current()`` turns a
# frame into the real Context the first time someone asks, and caches it in the frame
# (``cached``, else None); the span lookups read ``frame[1]`` directly. A list, not an
# object: it is the cheapest mutable container to build. Never seen outside this package.
_CURRENT: ContextVar[Context | list[Any]] = ContextVar(
    "otel_current_context", default=EMPTY_CONTEXT
)
# ``_CURRENT``'s methods bound once, for the span paths in other modules: there a call
# ``_CURRENT.get()`` on the imported name compiles to LOAD_ATTR (CPython 3.11 takes a name
# bound by ``import`` for a module), which makes a new bound-method object per call
_get_current = _CURRENT.get
_set_current = _CURRENT.set
_reset_current = _CURRENT.reset
# ``_context_get(current, key)``: ``dict.get`` of what ``_CURRENT`` holds when it is a
# Context (never a frame), called as the descriptor itself: no method lookup per call
_context_get = dict.get


def create_key(keyname: str) -> str:
    """Return a new key, unique to this call, for storing a value in a Context."""
    return f"{keyname}-{os.urandom(16).hex()}"


#: Where the current span is stored in a Context (``otel.trace`` reads and writes it).
_SPAN_KEY = create_key("current-span")

#: Set (to True) in a context while otel itself does I/O, such as an exporter sending a
#: batch: every instrumentation checks it and records nothing (official name and meaning).
_SUPPRESS_INSTRUMENTATION_KEY = create_key("suppress_instrumentation")
#: Narrower: suppresses only HTTP client instrumentations (official name and meaning).
_SUPPRESS_HTTP_INSTRUMENTATION_KEY = create_key("suppress_http_instrumentation")


def _materialize(frame: list[Any]) -> Context:
    """The Context a span frame stands for (built once, then cached in the frame).

    Iterative, not recursive: a traced recursive function nests as many frames as it
    recurses, and turning them into Contexts must not hit the recursion limit.
    """
    cached: Context | None = frame[2]
    if cached is not None:
        return cached
    pending = [frame]
    base = frame[0]
    while type(base) is list:  # down to a Context or a frame already turned into one
        if base[2] is not None:
            base = base[2]
            break
        pending.append(base)
        base = base[0]
    made = EMPTY_CONTEXT  # replaced below: ``pending`` is never empty
    for uncached in reversed(pending):
        made = Context(base)
        dict.__setitem__(made, _SPAN_KEY, uncached[1])
        uncached[2] = base = made
    return made


def get_value(key: str, context: Context | None = None) -> object:
    """Return the value stored under ``key`` in ``context`` (default: current), or None."""
    if context is not None:
        return context.get(key)
    current = _CURRENT.get()
    while isinstance(current, list):
        if key == _SPAN_KEY:
            return current[1]
        current = current[0]  # a frame adds only the span: its base has the rest
    return current.get(key)


def set_value(key: str, value: object, context: Context | None = None) -> Context:
    """Return a new Context equal to ``context`` (default: current) with ``key`` set."""
    new = Context(context if context is not None else get_current())
    dict.__setitem__(new, key, value)
    return new


def _with_value_removed(key: str, context: Context) -> Context:
    new = Context(context)
    dict.pop(new, key, None)
    return new


def get_current() -> Context:
    """Return the Context that is current in this thread or task."""
    current = _CURRENT.get()
    return _materialize(current) if isinstance(current, list) else current


def attach(context: Context) -> Token[Any]:
    """Make ``context`` current; return the token that :func:`detach` takes to undo it."""
    return _CURRENT.set(context)


def detach(token: Token[Any]) -> None:
    """Restore the Context that was current before the matching :func:`attach`.

    A token that is stale, foreign (from another task or thread) or already used is
    logged and otherwise ignored: a tracing bug must never raise into user code.
    """
    try:
        _CURRENT.reset(token)
    except Exception:  # ValueError or RuntimeError from contextvars
        _logger.error("Failed to detach context: the token is stale or from another context")
