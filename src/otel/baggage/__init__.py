"""Baggage API: ``get_all``, ``get_baggage``, ``set_baggage``, ``remove_baggage``, ``clear``.

The W3C ``baggage`` header propagator is ``otel.baggage.propagation.W3CBaggagePropagator``.
"""

from otel.baggage._baggage import (
    clear,
    get_all,
    get_baggage,
    get_baggage_metadata,
    remove_baggage,
    set_baggage,
)

__all__ = [
    "clear",
    "get_all",
    "get_baggage",
    "get_baggage_metadata",
    "remove_baggage",
    "set_baggage",
]
