"""otel: OpenTelemetry for Python, written from the specifications.

Importing ``otel`` has no side effects: no provider is installed, no thread is
started, no environment variable is read until something asks for it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
