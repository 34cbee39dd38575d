"""Where the current span lives in a Context, and scopes that make a span current."""

from __future__ import annotations

from contextvars import Token
from types import TracebackType

from otel._log import get_logger
from otel.context import Context, get_current
from otel.context._context import (
    _SPAN_KEY,
    _context_get,
    _get_current,
    _reset_current,
    _set_current,
)
from otel.trace._span import INVALID_SPAN, Span
from otel.trace._status import Status, StatusCode

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_logger = get_logger("otel.trace")

__all__ = ["_SPAN_KEY"]  # defined by otel.context (its span frames hold the span)


def get_current_span(context: Context | None = None) -> Span:
    """The span stored in ``context`` (default: the current one), or ``INVALID_SPAN``."""
    span: Any  # what was stored under the span key
    if context is None:
        current: Any = _get_current()  # a Context or a span frame (otel.context._context)
        span = current[1] if type(current) is list else _context_get(current, _SPAN_KEY)
    else:
        span = context.get(_SPAN_KEY)
    return INVALID_SPAN if span is None else span


def _span_in(current: Any) -> object:
    """The span stored in what ``_CURRENT`` holds (a Context or a span frame), or None."""
    return current[1] if type(current) is list else _context_get(current, _SPAN_KEY)


def set_span_in_context(span: Span, context: Context | None = None) -> Context:
    """A new Context, based on ``context`` (default: current), whose current span is ``span``."""
    new = Context(context if context is not None else get_current())
    dict.__setitem__(new, _SPAN_KEY, span)
    return new


def _record_error(
    span: Span, exc: BaseException, record_exception: bool, set_status_on_exception: bool
) -> None:
    """Record an exception that escapes a span scope, never raising."""
    try:
        if not span.is_recording():
            return
        if record_exception:
            span.record_exception(exc, escaped=True)
        if set_status_on_exception:
            try:
                description = f"{type(exc).__name__}: {exc}"
            except Exception:  # the exception's __str__ is broken: its type must do
                description = type(exc).__name__
            span.set_status(Status(StatusCode.ERROR, description))
    except Exception:  # a broken span must not break the caller
        _logger.exception("Failed to record exception on span")


class _SpanScope:
    """Make a span current for a block; on exit record errors, restore context, maybe end.

    Not reentrant: one scope object per ``with``. ``GeneratorExit`` is not an error.
    ``_flags`` is ``(record_exception, set_status_on_exception)``.
    """

    __slots__ = ("_end_on_exit", "_flags", "_span", "_token")

    _span: Span
    _token: Token[Any] | None

    def __init__(
        self,
        span: Span,
        end_on_exit: bool,
        record_exception: bool,
        set_status_on_exception: bool,
    ) -> None:
        self._span = span
        self._end_on_exit = end_on_exit
        self._flags = (record_exception, set_status_on_exception)

    def _activate(self, span: Span, base: Context | None) -> None:
        self._span = span
        current = _get_current()
        if base is None:
            if _span_in(current) is span:
                self._token = None  # already current: nothing to attach (no-op fast path)
                return
            self._token = _set_current([current, span, None])  # a span frame
        else:
            self._token = _set_current([base, span, None])

    def __enter__(self) -> Span:
        span = self._span
        self._activate(span, None)
        return span

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        span = self._span
        if exc_val is not None and exc_type is not GeneratorExit:
            _record_error(span, exc_val, *self._flags)
        token = self._token
        if token is not None:
            self._token = None
            try:
                _reset_current(token)
            except Exception:
                _logger.error("Failed to restore the context: span scope exited in another context")
        if self._end_on_exit:
            span.end()


def use_span(
    span: Span,
    end_on_exit: bool = False,
    record_exception: bool = True,
    set_status_on_exception: bool = True,
) -> _SpanScope:
    """Context manager making ``span`` current for the block (does not end it by default).

    An exception leaving the block is recorded on the span and sets ERROR status (each
    switchable), then propagates unchanged.
    """
    return _SpanScope(span, end_on_exit, record_exception, set_status_on_exception)
