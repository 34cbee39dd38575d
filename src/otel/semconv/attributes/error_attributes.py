"""Stable ``error.*`` attribute names
(official: ``opentelemetry.semconv.attributes.error_attributes``)."""

from typing import Final

ERROR_TYPE: Final = "error.type"

__all__ = [
    "ERROR_TYPE",
]

ERROR_TYPE_VALUE_OTHER: Final = "_OTHER"
"""``error.type`` when no better low-cardinality value is known."""
__all__ += ["ERROR_TYPE_VALUE_OTHER"]
