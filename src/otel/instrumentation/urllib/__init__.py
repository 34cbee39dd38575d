"""urllib instrumentation (official: ``opentelemetry.instrumentation.urllib``):
``URLLibInstrumentor().instrument()`` traces every HTTP(S) hop of
``urllib.request.urlopen`` with a CLIENT span. See ``docs/instrumentation.md``.
"""

from otel.instrumentation.urllib._instrumentor import URLLibInstrumentor

__all__ = ["URLLibInstrumentor"]
