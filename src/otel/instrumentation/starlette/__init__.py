"""Starlette / FastAPI tracing through the ASGI middleware (official:
``opentelemetry.instrumentation.starlette``)."""

from otel.instrumentation.starlette._instrumentor import StarletteInstrumentor

__all__ = ["StarletteInstrumentor"]
