"""Zipkin B3 propagators: ``B3MultiFormat`` (``X-B3-*`` headers), ``B3SingleFormat``
(``b3`` header) and ``B3Format`` (old name of ``B3MultiFormat``)."""

from otel.propagators.b3._b3 import (
    FLAGS_KEY,
    PARENT_SPAN_ID_KEY,
    SAMPLED_KEY,
    SINGLE_HEADER_KEY,
    SPAN_ID_KEY,
    TRACE_ID_KEY,
    B3Format,
    B3MultiFormat,
    B3SingleFormat,
)

__all__ = [
    "FLAGS_KEY",
    "PARENT_SPAN_ID_KEY",
    "SAMPLED_KEY",
    "SINGLE_HEADER_KEY",
    "SPAN_ID_KEY",
    "TRACE_ID_KEY",
    "B3Format",
    "B3MultiFormat",
    "B3SingleFormat",
]
