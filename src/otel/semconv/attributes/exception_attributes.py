"""Stable ``exception.*`` attribute names
(official: ``opentelemetry.semconv.attributes.exception_attributes``)."""

from typing import Final

EXCEPTION_ESCAPED: Final = "exception.escaped"
EXCEPTION_MESSAGE: Final = "exception.message"
EXCEPTION_STACKTRACE: Final = "exception.stacktrace"
EXCEPTION_TYPE: Final = "exception.type"

__all__ = [
    "EXCEPTION_ESCAPED",
    "EXCEPTION_MESSAGE",
    "EXCEPTION_STACKTRACE",
    "EXCEPTION_TYPE",
]
