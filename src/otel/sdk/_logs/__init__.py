"""Alias of :mod:`otel.sdk.logs` at the official path (``opentelemetry.sdk._logs``)."""

from otel.sdk.logs import *  # noqa: F403
from otel.sdk.logs import __all__ as __all__
