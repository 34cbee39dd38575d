"""``BaseInstrumentor``: one instance per class, idempotent instrument/uninstrument.

Contract for subclasses: implement ``instrumentation_dependencies()`` (pip requirement
strings of the target library, e.g. ``("flask >= 2.0",)``), ``_instrument(**kwargs)`` and
``_uninstrument(**kwargs)``. ``instrument()`` and ``uninstrument()`` never raise into the
caller: a failure is logged on ``otel.instrumentation`` and leaves the state unchanged.
Calls are serialised by a per-class lock (instrumenting is rare; recording never takes it).
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

from otel._log import get_logger

_logger = get_logger("otel.instrumentation")


class BaseInstrumentor:
    """Base of every otel instrumentor (official: ``BaseInstrumentor``).

    ``FooInstrumentor()`` always returns the same instance, so ``instrument()`` in one
    place and ``uninstrument()`` in another act on the same state. ``instrument(**kwargs)``
    passes its keyword arguments (``tracer_provider=``, ``meter_provider=``, hooks, ...)
    to ``_instrument``; a second call logs a warning and does nothing.
    """

    _instance: BaseInstrumentor | None = None
    _is_instrumented_by_opentelemetry: bool = False
    _lock: threading.Lock = threading.Lock()

    def __new__(cls, *args: Any, **kwargs: Any) -> BaseInstrumentor:
        # ``cls.__dict__`` (not attribute lookup) so a subclass never reuses its parent's.
        instance = cls.__dict__.get("_instance")
        if instance is None:
            instance = super().__new__(cls)
            cls._instance = instance
            cls._lock = threading.Lock()
        return instance

    @property
    def is_instrumented_by_opentelemetry(self) -> bool:
        """True between a successful ``instrument()`` and the next ``uninstrument()``."""
        return self._is_instrumented_by_opentelemetry

    def instrumentation_dependencies(self) -> Collection[str]:
        """Requirement strings for the instrumented library (used by ``otel run``)."""
        return ()

    def _instrument(self, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _uninstrument(self, **kwargs: Any) -> Any:
        raise NotImplementedError

    def instrument(self, **kwargs: Any) -> Any:
        """Instrument the library; idempotent; never raises (failures are logged)."""
        with self._lock:
            if self._is_instrumented_by_opentelemetry:
                _logger.warning("%s is already instrumented", type(self).__name__)
                return None
            try:
                result = self._instrument(**kwargs)
            except Exception:
                _logger.exception("%s failed to instrument", type(self).__name__)
                return None
            self._is_instrumented_by_opentelemetry = True
            return result

    def uninstrument(self, **kwargs: Any) -> Any:
        """Undo ``instrument()``; a no-op (with a warning) when not instrumented."""
        with self._lock:
            if not self._is_instrumented_by_opentelemetry:
                _logger.warning("%s is not instrumented", type(self).__name__)
                return None
            try:
                result = self._uninstrument(**kwargs)
            except Exception:
                _logger.exception("%s failed to uninstrument", type(self).__name__)
                return None
            self._is_instrumented_by_opentelemetry = False
            return result
