"""``trace_integration`` / ``wrap_connect`` / ``instrument_connection`` for any DB-API driver.

``wrap_connect`` replaces ``connect_module.<connect_method_name>`` with a function that
calls the original and returns a traced proxy of the connection (sync, or async when the
original is a coroutine function); ``unwrap_connect`` puts the original back. The
replacement keeps the original in ``__wrapped__`` (so wrapping twice is a no-op).
``instrument_connection`` wraps one existing connection; ``uninstrument_connection``
returns the original. All of them are safe to call from any thread; none raises for a
connection it cannot read attributes from (the spans then carry fewer attributes).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from otel import metrics as metrics_api
from otel import trace as trace_api
from otel._log import get_logger
from otel.instrumentation.dbapi._integration import DatabaseApiIntegration
from otel.instrumentation.dbapi._proxy import (
    AsyncTracedConnectionProxy,
    TracedConnectionProxy,
    _Proxy,
)

_logger = get_logger("otel.instrumentation.dbapi")

_MARK = "_otel_dbapi_wrapper"


def _is_async_connection(connection: object) -> bool:
    for method in ("commit", "cursor", "close"):
        function = getattr(type(connection), method, None)
        if function is not None and inspect.iscoroutinefunction(function):
            return True
    return False


def _proxy(
    connection: Any,
    integration: DatabaseApiIntegration,
    is_async: bool | None,
    call: tuple[tuple[Any, ...], dict[str, Any]] | None = None,
) -> Any:
    integration.get_connection_attributes(connection)
    if call is not None:
        integration.connect_arguments(*call)
    if is_async is None:
        is_async = _is_async_connection(connection)
    if is_async:
        return AsyncTracedConnectionProxy(connection, integration)
    return TracedConnectionProxy(connection, integration)


def _proxy_or_original(
    connection: Any,
    make_integration: Callable[[], DatabaseApiIntegration],
    is_async: bool | None,
    call: tuple[tuple[Any, ...], dict[str, Any]],
) -> Any:
    """A traced proxy of a connection ``connect`` just returned; the connection itself
    (logged) when instrumenting it fails."""
    try:
        return _proxy(connection, make_integration(), is_async, call)
    except Exception:
        _logger.exception("Could not instrument a connection; returning it untraced")
        return connection


_INTEGRATION_OPTIONS = (
    "connection_attributes",
    "version",
    "tracer_provider",
    "capture_parameters",
    "meter_provider",
)


def _integration_maker(arguments: Mapping[str, Any]) -> Callable[[], DatabaseApiIntegration]:
    """Builds the per-connection integration from the arguments (``locals()``) of
    ``wrap_connect``/``instrument_connection``: their factory, or the default one."""
    factory = arguments["db_api_integration_factory"] or DatabaseApiIntegration
    options = {name: arguments[name] for name in _INTEGRATION_OPTIONS}
    return functools.partial(factory, arguments["name"], arguments["database_system"], **options)


def wrap_connect(
    name: str,
    connect_module: Any,
    connect_method_name: str,
    database_system: str,
    connection_attributes: Mapping[str, str] | None = None,
    version: str = "",
    tracer_provider: trace_api.TracerProvider | None = None,
    capture_parameters: bool = False,
    db_api_integration_factory: Callable[..., DatabaseApiIntegration] | None = None,
    meter_provider: metrics_api.MeterProvider | None = None,
    **kwargs: Any,
) -> None:
    """Replace ``connect_module.connect_method_name`` with a tracing version.

    Every connection it returns is a traced proxy whose spans carry ``database_system``
    as ``db.system.name``. ``db_api_integration_factory`` builds the per-connection
    :class:`DatabaseApiIntegration` (a subclass may read attributes its own way).
    Extra keyword arguments of the official function (``enable_commenter``, ...) are
    accepted and ignored.
    """
    original = getattr(connect_module, connect_method_name)
    if getattr(original, _MARK, False):
        return
    integration = _integration_maker(locals())

    wrapper: Callable[..., Any]
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            connection = await original(*args, **kwargs)
            return _proxy_or_original(connection, integration, True, (args, kwargs))

    else:

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            connection = original(*args, **kwargs)
            return _proxy_or_original(connection, integration, None, (args, kwargs))

    setattr(wrapper, _MARK, True)
    setattr(connect_module, connect_method_name, wrapper)


def unwrap_connect(connect_module: Any, connect_method_name: str) -> None:
    """Put back the original ``connect`` replaced by :func:`wrap_connect` (no-op otherwise)."""
    current = getattr(connect_module, connect_method_name, None)
    if current is not None and getattr(current, _MARK, False):
        setattr(connect_module, connect_method_name, current.__wrapped__)


def trace_integration(
    connect_module: Any,
    connect_method_name: str,
    database_system: str,
    connection_attributes: Mapping[str, str] | None = None,
    tracer_provider: trace_api.TracerProvider | None = None,
    capture_parameters: bool = False,
    enable_commenter: bool = False,
    db_api_integration_factory: Callable[..., DatabaseApiIntegration] | None = None,
    **kwargs: Any,
) -> None:
    """Trace every connection made by ``connect_module.connect_method_name`` (official name).

    ``enable_commenter`` is accepted for compatibility and ignored (otel does not rewrite
    queries). Keyword arguments ``meter_provider`` and ``version`` are honoured.
    """
    wrap_connect(
        kwargs.pop("name", "otel.instrumentation.dbapi"),
        connect_module,
        connect_method_name,
        database_system,
        connection_attributes,
        version=kwargs.pop("version", ""),
        tracer_provider=tracer_provider,
        capture_parameters=capture_parameters,
        db_api_integration_factory=db_api_integration_factory,
        meter_provider=kwargs.pop("meter_provider", None),
    )


def instrument_connection(
    name: str,
    connection: Any,
    database_system: str,
    connection_attributes: Mapping[str, str] | None = None,
    version: str = "",
    tracer_provider: trace_api.TracerProvider | None = None,
    capture_parameters: bool = False,
    db_api_integration_factory: Callable[..., DatabaseApiIntegration] | None = None,
    meter_provider: metrics_api.MeterProvider | None = None,
    is_async: bool | None = None,
    **kwargs: Any,
) -> Any:
    """A traced proxy of ``connection`` (returned as is when it is already traced).

    ``is_async``: whether the connection's cursors are awaited; detected from the
    connection's class when None.
    """
    if isinstance(connection, _Proxy):
        _logger.warning("Connection already instrumented")
        return connection
    integration = _integration_maker(locals())
    return _proxy(connection, integration(), is_async)


def uninstrument_connection(connection: Any) -> Any:
    """The original connection behind a proxy from :func:`instrument_connection`."""
    if isinstance(connection, _Proxy):
        return connection.__wrapped__
    _logger.warning("Connection is not instrumented")
    return connection
