"""The global TextMapPropagator and the ``inject``/``extract`` shortcuts that use it.

Until :func:`set_global_textmap` is called, the global propagator is built from
``OTEL_PROPAGATORS`` the first time it is needed (never at import): a comma-separated
list of ``tracecontext``, ``baggage``, ``b3`` (single header), ``b3multi``, ``jaeger``
or ``none``, default ``tracecontext,baggage``. Unknown names are logged and skipped.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel.context import Context
from otel.propagators._composite import CompositePropagator
from otel.propagators._textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

_logger = get_logger("otel.propagate")

_ENV = "OTEL_PROPAGATORS"
_DEFAULT_NAMES = ("tracecontext", "baggage")

_lock = threading.Lock()
renew_lock_after_fork(sys.modules[__name__], "_lock")
_textmap: TextMapPropagator | None = None


def _tracecontext() -> TextMapPropagator:
    from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

    return TraceContextTextMapPropagator()


def _baggage() -> TextMapPropagator:
    from otel.baggage.propagation import W3CBaggagePropagator

    return W3CBaggagePropagator()


def _b3_single() -> TextMapPropagator:
    from otel.propagators.b3 import B3SingleFormat

    return B3SingleFormat()


def _b3_multi() -> TextMapPropagator:
    from otel.propagators.b3 import B3MultiFormat

    return B3MultiFormat()


def _jaeger() -> TextMapPropagator:
    from otel.propagators.jaeger import JaegerPropagator

    return JaegerPropagator()


_FACTORIES: dict[str, Callable[[], TextMapPropagator]] = {
    "tracecontext": _tracecontext,
    "baggage": _baggage,
    "b3": _b3_single,
    "b3multi": _b3_multi,
    "jaeger": _jaeger,
}


def _names_from_env() -> list[str]:
    raw = os.environ.get(_ENV, "")
    names: list[str] = []
    for item in raw.split(","):
        name = item.strip().lower()
        if name and name not in names:
            names.append(name)
    if not names:
        return list(_DEFAULT_NAMES)
    if "none" in names:
        if len(names) == 1:
            return []
        _logger.warning("%s=%r mixes 'none' with other propagators; 'none' ignored", _ENV, raw)
        names.remove("none")
    return names


def _from_env() -> TextMapPropagator:
    propagators: list[TextMapPropagator] = []
    for name in _names_from_env():
        factory = _FACTORIES.get(name)
        if factory is None:
            _logger.error(
                "Unknown propagator %r in %s skipped (known: %s, none)",
                name,
                _ENV,
                ", ".join(_FACTORIES),
            )
            continue
        try:
            propagators.append(factory())
        except Exception:
            _logger.exception("Failed to create propagator %r; skipped", name)
    return CompositePropagator(propagators)


def get_global_textmap() -> TextMapPropagator:
    """The propagator ``inject``/``extract`` use (built from ``OTEL_PROPAGATORS`` if unset)."""
    global _textmap
    textmap = _textmap
    if textmap is None:
        with _lock:
            if _textmap is None:
                _textmap = _from_env()
            textmap = _textmap
    return textmap


def set_global_textmap(http_text_format: TextMapPropagator) -> None:
    """Make ``http_text_format`` the propagator ``inject``/``extract`` use."""
    global _textmap
    _textmap = http_text_format


def _reset_global_textmap() -> None:
    """Forget the global propagator (for tests): the next use reads the environment again."""
    global _textmap
    _textmap = None


def inject(
    carrier: CarrierT,
    context: Context | None = None,
    setter: Setter[CarrierT] = default_setter,
) -> None:
    """Write ``context`` (default: current) into ``carrier`` with the global propagator."""
    try:
        get_global_textmap().inject(carrier, context, setter)
    except Exception:
        _logger.exception("Failed to inject context")


def extract(
    carrier: CarrierT,
    context: Context | None = None,
    getter: Getter[CarrierT] = default_getter,
) -> Context:
    """Read ``carrier`` with the global propagator into a Context based on ``context``."""
    try:
        return get_global_textmap().extract(carrier, context, getter)
    except Exception:
        _logger.exception("Failed to extract context")
        return context if context is not None else Context()
