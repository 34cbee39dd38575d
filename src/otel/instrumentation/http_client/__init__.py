"""http.client instrumentation: ``HTTPClientInstrumentor().instrument()`` traces every
``http.client.HTTPConnection`` request with a CLIENT span (quiet below an instrumented
urllib or requests, and during otel's own exports). See ``docs/instrumentation.md``.
"""

from otel.instrumentation.http_client._instrumentor import HTTPClientInstrumentor

__all__ = ["HTTPClientInstrumentor"]
