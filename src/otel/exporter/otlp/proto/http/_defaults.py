"""The module constants every official OTLP/HTTP exporter module exposes (same values)."""

from otel.exporter.otlp._config import DEFAULT_HTTP_BASE, DEFAULT_TIMEOUT_S, Compression

DEFAULT_COMPRESSION = Compression.NoCompression
DEFAULT_ENDPOINT = DEFAULT_HTTP_BASE
DEFAULT_TIMEOUT = int(DEFAULT_TIMEOUT_S)  # seconds

__all__ = ["DEFAULT_COMPRESSION", "DEFAULT_ENDPOINT", "DEFAULT_TIMEOUT"]
