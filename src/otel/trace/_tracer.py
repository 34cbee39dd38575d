"""Tracer and TracerProvider interfaces, the no-op and proxy implementations, globals.

Without an SDK, ``get_tracer`` hands out proxy tracers. They bind to the real provider
the moment one is set with ``set_tracer_provider``; until then they create
non-recording spans that carry the parent's SpanContext, so propagation still works.
"""

from __future__ import annotations

import abc
import functools
import sys
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from _weakrefset import WeakSet  # weakref.WeakSet itself, without importing weakref
from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from types import TracebackType

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel.attributes import AttributeValue
from otel.context import Context
from otel.context._context import _get_current, _reset_current, _set_current
from otel.trace._context_helpers import _SPAN_KEY, _record_error, _span_in, _SpanScope
from otel.trace._span import INVALID_SPAN, Link, NonRecordingSpan, Span, SpanKind

_logger = get_logger("otel.trace")

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])
_INTERNAL = SpanKind.INTERNAL


def _non_recording_child(context: Context | None) -> Span:
    """What a tracer without an SDK returns: the parent's SpanContext, not recording."""
    parent: Any  # a Span, or whatever was stored under the span key
    current: Any = context if context is not None else _get_current()
    try:
        parent = current.get(_SPAN_KEY)
    except AttributeError:  # a span frame (otel.context._context); rare without an SDK
        parent = current[1]
    if parent is None:
        return INVALID_SPAN
    if type(parent) is NonRecordingSpan:
        return parent  # same SpanContext, records nothing: no need for a new object
    span_context = parent.get_span_context()
    if not span_context.is_valid:
        return INVALID_SPAN
    return NonRecordingSpan(span_context)


class _StartAsCurrentSpan(_SpanScope):
    """Returned by ``Tracer.start_as_current_span``: a context manager and a decorator.

    As a context manager it starts the span on enter and makes it current. As a
    decorator it starts a new span per call of a function, an ``async def`` coroutine
    (the span covers the awaited work), a generator or an async generator (the span
    covers the whole iteration and is current only while the generator body runs).
    """

    __slots__ = ("_args", "_tracer")

    def __init__(
        self,
        tracer: Tracer,
        args: tuple[
            str,
            Context | None,
            SpanKind,
            Mapping[str, AttributeValue] | None,
            Sequence[Link] | None,
            int | None,
            bool,
            bool,
        ],
        end_on_exit: bool,
    ) -> None:
        self._tracer = tracer
        self._args = args
        self._end_on_exit = end_on_exit

    def __enter__(self) -> Span:
        args = self._args
        span = self._tracer.start_span(*args)
        self._span = span
        base: Context | list[Any] | None = args[1]
        if base is None:
            base = _get_current()
            if _span_in(base) is span:
                self._token = None  # already current (no SDK, no parent): nothing to attach
                return span
        self._token = _set_current([base, span, None])  # a span frame (otel.context)
        return span

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        span = self._span
        if exc_val is not None and exc_type is not GeneratorExit:
            args = self._args
            _record_error(span, exc_val, args[6], args[7])
        token = self._token
        if token is not None:
            self._token = None
            try:
                _reset_current(token)
            except Exception:
                _logger.error("Failed to restore the context: span scope exited in another context")
        if self._end_on_exit:
            span.end()

    def _fresh(self) -> _StartAsCurrentSpan:
        return type(self)(self._tracer, self._args, self._end_on_exit)

    def __call__(self, func: _F) -> _F:
        import inspect  # only when decorating: keeps ast/dis/tokenize off the import path

        if inspect.iscoroutinefunction(func):
            return self._wrap_coroutine(func)  # type: ignore[return-value]
        if inspect.isasyncgenfunction(func):
            return self._wrap_async_generator(func)  # type: ignore[return-value]
        if inspect.isgeneratorfunction(func):
            return self._wrap_generator(func)  # type: ignore[return-value]

        @functools.wraps(func)
        def call_in_span(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return func(*args, **kwargs)

        return call_in_span  # type: ignore[return-value]

    def _wrap_coroutine(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        async def await_in_span(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return await func(*args, **kwargs)

        return await_in_span

    def _open(self) -> tuple[Span, Context]:
        args = self._args
        span = self._tracer.start_span(*args)
        base = args[1] if args[1] is not None else _get_current()
        ctx = Context(base)
        dict.__setitem__(ctx, _SPAN_KEY, span)
        return span, ctx

    def _close(self, span: Span, exc: BaseException | None) -> None:
        if exc is not None and not isinstance(exc, GeneratorExit):
            _record_error(span, exc, self._args[6], self._args[7])
        if self._end_on_exit:
            span.end()

    def _wrap_generator(self, func: Callable[..., Generator[Any, Any, Any]]) -> Callable[..., Any]:
        @functools.wraps(func)
        def iterate_in_span(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            scope = self._fresh()
            gen = func(*args, **kwargs)
            span, ctx = scope._open()
            to_send: Any = None
            to_throw: BaseException | None = None
            try:
                while True:
                    token = _set_current(ctx)
                    try:
                        if to_throw is not None:
                            exc, to_throw = to_throw, None
                            item = gen.throw(exc)
                        else:
                            item = gen.send(to_send)
                    except StopIteration as stop:
                        scope._close(span, None)
                        return stop.value
                    finally:
                        _reset_current(token)
                    try:
                        to_send = yield item
                    except GeneratorExit:
                        token = _set_current(ctx)
                        try:
                            gen.close()
                        finally:
                            _reset_current(token)
                        raise
                    except BaseException as exc:
                        to_throw = exc
            except BaseException as exc:
                scope._close(span, exc)
                raise

        return iterate_in_span

    def _wrap_async_generator(
        self, func: Callable[..., AsyncGenerator[Any, Any]]
    ) -> Callable[..., Any]:
        @functools.wraps(func)
        async def iterate_in_span(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
            scope = self._fresh()
            agen = func(*args, **kwargs)
            span, ctx = scope._open()
            to_send: Any = None
            to_throw: BaseException | None = None
            try:
                while True:
                    token = _set_current(ctx)
                    try:
                        if to_throw is not None:
                            exc, to_throw = to_throw, None
                            item = await agen.athrow(exc)
                        else:
                            item = await agen.asend(to_send)
                    except StopAsyncIteration:
                        scope._close(span, None)
                        return
                    finally:
                        _reset_current(token)
                    try:
                        to_send = yield item
                    except GeneratorExit:
                        token = _set_current(ctx)
                        try:
                            await agen.aclose()
                        finally:
                            _reset_current(token)
                        raise
                    except BaseException as exc:
                        to_throw = exc
            except BaseException as exc:
                scope._close(span, exc)
                raise

        return iterate_in_span


class _ProxyStartAsCurrentSpan(_StartAsCurrentSpan):
    """``start_as_current_span`` of a proxy tracer: a shortcut while no SDK is bound."""

    __slots__ = ()

    _tracer: ProxyTracer

    def __enter__(self) -> Span:
        if self._tracer._delegate is None and self._args[1] is None:
            frame: Any = _get_current()
            try:
                current = frame.get(_SPAN_KEY)
            except AttributeError:  # a span frame (otel.context._context)
                current = frame[1]
            if current is None or type(current) is NonRecordingSpan:
                # The no-op child of a non-recording (or no) span is that span: it is
                # already current, so there is nothing to create and nothing to attach.
                span: Span = INVALID_SPAN if current is None else current
                self._span = span
                self._token = None
                return span
        return _StartAsCurrentSpan.__enter__(self)


class Tracer(abc.ABC):
    """Creates spans. Thread-safe; cheap to keep and reuse."""

    __slots__ = ()

    @abc.abstractmethod
    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        """Start a span, child of the span in ``context`` (default: current); not made current."""

    def start_as_current_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> _StartAsCurrentSpan:
        """Start a span and make it current for a ``with`` block, or decorate a function.

        Exceptions leaving the block are recorded and set ERROR status (switchable) and
        propagate unchanged; the span ends on exit unless ``end_on_exit`` is False.
        """
        return _StartAsCurrentSpan(
            self,
            (
                name,
                context,
                kind,
                attributes,
                links,
                start_time,
                record_exception,
                set_status_on_exception,
            ),
            end_on_exit,
        )


class NoOpTracer(Tracer):
    """A tracer that records nothing; its spans carry the parent's SpanContext."""

    __slots__ = ()

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = _INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        return _non_recording_child(context)


class ProxyTracer(Tracer):
    """A tracer that forwards to the global provider's tracer once one is set."""

    __slots__ = ("__weakref__", "_attributes", "_delegate", "_name", "_schema_url", "_version")

    def __init__(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> None:
        self._name = instrumenting_module_name
        self._version = instrumenting_library_version
        self._schema_url = schema_url
        self._attributes = attributes
        self._delegate: Tracer | None = None

    def _bind(self, provider: TracerProvider | None) -> None:
        if provider is None:
            self._delegate = None
            return
        self._delegate = provider.get_tracer(
            self._name, self._version, self._schema_url, self._attributes
        )

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = _INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        delegate = self._delegate
        if delegate is None:
            return _non_recording_child(context)
        return delegate.start_span(
            name,
            context,
            kind,
            attributes,
            links,
            start_time,
            record_exception,
            set_status_on_exception,
        )

    def start_as_current_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = _INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> _StartAsCurrentSpan:
        delegate = self._delegate
        if delegate is not None:
            return delegate.start_as_current_span(
                name,
                context,
                kind,
                attributes,
                links,
                start_time,
                record_exception,
                set_status_on_exception,
                end_on_exit,
            )
        return _ProxyStartAsCurrentSpan(
            self,
            (
                name,
                context,
                kind,
                attributes,
                links,
                start_time,
                record_exception,
                set_status_on_exception,
            ),
            end_on_exit,
        )


class TracerProvider(abc.ABC):
    """Hands out tracers, one per instrumentation scope."""

    __slots__ = ()

    @abc.abstractmethod
    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> Tracer:
        """The tracer for this instrumentation scope."""


class NoOpTracerProvider(TracerProvider):
    """A provider whose tracers record nothing."""

    __slots__ = ()

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> Tracer:
        return _NOOP_TRACER


_NOOP_TRACER = NoOpTracer()


class ProxyTracerProvider(TracerProvider):
    """The global provider until an SDK provider is set; its tracers bind later."""

    __slots__ = ()

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> Tracer:
        with _LOCK:
            if _PROVIDER is not None:
                return _PROVIDER.get_tracer(
                    instrumenting_module_name, instrumenting_library_version, schema_url, attributes
                )
            tracer = ProxyTracer(
                instrumenting_module_name, instrumenting_library_version, schema_url, attributes
            )
            _PROXIES.add(tracer)
            return tracer


_LOCK = allocate_lock()
renew_lock_after_fork(sys.modules[__name__], "_LOCK")
_PROVIDER: TracerProvider | None = None
_PROXY_PROVIDER = ProxyTracerProvider()
_PROXIES: WeakSet[ProxyTracer] = WeakSet()


def set_tracer_provider(tracer_provider: TracerProvider) -> None:
    """Set the global TracerProvider, once. A second call logs a warning and is ignored."""
    global _PROVIDER
    with _LOCK:
        if _PROVIDER is not None:
            _logger.warning("A global TracerProvider is already set; ignoring the new one")
            return
        _PROVIDER = tracer_provider
        for proxy in list(_PROXIES):
            proxy._bind(tracer_provider)


def get_tracer_provider() -> TracerProvider:
    """The global TracerProvider, or a proxy provider if none has been set yet."""
    provider = _PROVIDER
    return provider if provider is not None else _PROXY_PROVIDER


def get_tracer(
    instrumenting_module_name: str,
    instrumenting_library_version: str | None = None,
    tracer_provider: TracerProvider | None = None,
    schema_url: str | None = None,
    attributes: Mapping[str, AttributeValue] | None = None,
) -> Tracer:
    """Shortcut for ``(tracer_provider or get_tracer_provider()).get_tracer(...)``."""
    provider = tracer_provider if tracer_provider is not None else get_tracer_provider()
    return provider.get_tracer(
        instrumenting_module_name, instrumenting_library_version, schema_url, attributes
    )


def _swap_tracer_provider(tracer_provider: TracerProvider | None) -> TracerProvider | None:
    """Replace the global provider (None: no provider); return the previous one.

    For ``otel.testing`` (like ``_swap_meter_provider``/``_swap_logger_provider``):
    proxies rebind to the new provider, or back to no-ops.
    """
    global _PROVIDER
    with _LOCK:
        previous, _PROVIDER = _PROVIDER, tracer_provider
        for proxy in list(_PROXIES):
            proxy._bind(tracer_provider)
    return previous


def _reset_tracer_provider() -> None:
    """Forget the global provider and unbind proxies (``otel.testing.reset_globals``)."""
    _swap_tracer_provider(None)
