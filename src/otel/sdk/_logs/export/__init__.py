"""Alias of :mod:`otel.sdk.logs.export` (official: ``opentelemetry.sdk._logs.export``)."""

from otel.sdk.logs.export import *  # noqa: F403
from otel.sdk.logs.export import __all__ as __all__
