"""psycopg 3 tracing: sync, async and ``psycopg_pool`` pools.

Official: ``opentelemetry.instrumentation.psycopg``.
"""

from otel.instrumentation.psycopg._instrumentor import PsycopgInstrumentor

__all__ = ["PsycopgInstrumentor"]
