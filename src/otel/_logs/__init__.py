"""Alias of :mod:`otel.logs` at the official path (``opentelemetry._logs``)."""

from otel.logs import *  # noqa: F403
from otel.logs import __all__ as __all__
