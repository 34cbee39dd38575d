"""Connection and cursor proxies: the original object, with its query methods traced.

A proxy forwards every attribute read and write to the wrapped object (``__wrapped__``),
and behaves like it under ``with``/``async with``, iteration, ``len``/``bool`` where the
original supports them. Only the query methods (``execute``, ``executemany``,
``callproc``, and ``executescript`` where present) go through the integration; a method
that returns the wrapped cursor itself (``cur.execute(...).fetchall()``) returns the
proxy. Sync and async variants differ only in ``await``; the span logic is shared.
"""

from __future__ import annotations

from typing import Any

from otel.instrumentation.dbapi._integration import DatabaseApiIntegration

_OWN = frozenset(("__wrapped__", "_self_integration"))


class _Proxy:
    """Attribute forwarding shared by every proxy."""

    __slots__ = ("__wrapped__", "_self_integration")

    def __init__(self, wrapped: Any, integration: DatabaseApiIntegration) -> None:
        object.__setattr__(self, "__wrapped__", wrapped)
        object.__setattr__(self, "_self_integration", integration)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OWN:
            object.__setattr__(self, name, value)
        else:
            setattr(self.__wrapped__, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self.__wrapped__, name)

    def __dir__(self) -> list[str]:
        return dir(self.__wrapped__)

    def __repr__(self) -> str:
        return f"<traced {self.__wrapped__!r}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Proxy):
            other = other.__wrapped__
        return bool(self.__wrapped__ == other)

    def __hash__(self) -> int:
        return hash(self.__wrapped__)

    def __bool__(self) -> bool:
        return bool(self.__wrapped__)

    def __enter__(self) -> Any:
        enter = getattr(type(self.__wrapped__), "__enter__", None)
        if enter is None:
            raise TypeError(
                f"'{type(self.__wrapped__).__name__}' object does not support the "
                "context manager protocol"
            )
        result = enter(self.__wrapped__)
        return self if result is self.__wrapped__ else result

    def __exit__(self, *exc_info: Any) -> Any:
        return self.__wrapped__.__exit__(*exc_info)


def _same(result: Any, proxy: _Proxy) -> Any:
    return proxy if result is proxy.__wrapped__ else result


class TracedCursorProxy(_Proxy):
    """A DB-API cursor whose ``execute``/``executemany``/``callproc`` are traced."""

    __slots__ = ()

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        result = self._self_integration.traced_call(self.__wrapped__.execute, query, args, kwargs)
        return _same(result, self)

    def executemany(self, query: Any, params: Any = (), *args: Any, **kwargs: Any) -> Any:
        result = self._self_integration.traced_call(
            self.__wrapped__.executemany, query, (params, *args), kwargs, batch=params
        )
        return _same(result, self)

    def executescript(self, script: Any, *args: Any, **kwargs: Any) -> Any:
        result = self._self_integration.traced_call(
            self.__wrapped__.executescript, script, args, kwargs
        )
        return _same(result, self)

    def callproc(self, procname: Any, *args: Any, **kwargs: Any) -> Any:
        return self._self_integration.traced_call(
            self.__wrapped__.callproc, procname, args, kwargs, procedure=True
        )

    def __iter__(self) -> Any:
        return iter(self.__wrapped__)

    def __next__(self) -> Any:
        return next(self.__wrapped__)


class TracedConnectionProxy(_Proxy):
    """A DB-API connection whose cursors (and ``execute`` shortcuts) are traced."""

    __slots__ = ()

    def cursor(self, *args: Any, **kwargs: Any) -> TracedCursorProxy:
        return TracedCursorProxy(self.__wrapped__.cursor(*args, **kwargs), self._self_integration)

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return self._self_integration.traced_call(self.__wrapped__.execute, query, args, kwargs)

    def executemany(self, query: Any, params: Any = (), *args: Any, **kwargs: Any) -> Any:
        return self._self_integration.traced_call(
            self.__wrapped__.executemany, query, (params, *args), kwargs, batch=params
        )

    def executescript(self, script: Any, *args: Any, **kwargs: Any) -> Any:
        return self._self_integration.traced_call(
            self.__wrapped__.executescript, script, args, kwargs
        )


class AsyncTracedCursorProxy(_Proxy):
    """An async cursor (``await cur.execute(...)``) whose query methods are traced."""

    __slots__ = ()

    async def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        result = await self._self_integration.traced_call_async(
            self.__wrapped__.execute, query, args, kwargs
        )
        return _same(result, self)

    async def executemany(self, query: Any, params: Any = (), *args: Any, **kwargs: Any) -> Any:
        result = await self._self_integration.traced_call_async(
            self.__wrapped__.executemany, query, (params, *args), kwargs, batch=params
        )
        return _same(result, self)

    async def callproc(self, procname: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._self_integration.traced_call_async(
            self.__wrapped__.callproc, procname, args, kwargs, procedure=True
        )

    async def __aenter__(self) -> Any:
        result = await self.__wrapped__.__aenter__()
        return self if result is self.__wrapped__ else result

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self.__wrapped__.__aexit__(*exc_info)

    def __aiter__(self) -> Any:
        return self.__wrapped__.__aiter__()

    async def __anext__(self) -> Any:
        return await self.__wrapped__.__anext__()


class AsyncTracedConnectionProxy(_Proxy):
    """An async connection whose cursors and ``execute`` shortcut are traced."""

    __slots__ = ()

    def cursor(self, *args: Any, **kwargs: Any) -> AsyncTracedCursorProxy:
        return AsyncTracedCursorProxy(
            self.__wrapped__.cursor(*args, **kwargs), self._self_integration
        )

    async def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._self_integration.traced_call_async(
            self.__wrapped__.execute, query, args, kwargs
        )

    async def executemany(self, query: Any, params: Any = (), *args: Any, **kwargs: Any) -> Any:
        return await self._self_integration.traced_call_async(
            self.__wrapped__.executemany, query, (params, *args), kwargs, batch=params
        )

    async def __aenter__(self) -> Any:
        result = await self.__wrapped__.__aenter__()
        return self if result is self.__wrapped__ else result

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self.__wrapped__.__aexit__(*exc_info)
