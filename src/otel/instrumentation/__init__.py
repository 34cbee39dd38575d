"""Instrumentations: libraries traced with the otel API alone.

Each lives in ``otel.instrumentation.<library>`` (``__init__`` re-exports,
``_instrumentor.py`` holds the code) and builds on :class:`BaseInstrumentor`
(``otel.instrumentation.instrumentor``) and the suppression helpers in
``otel.instrumentation.utils``. Importing this package imports no target library.
"""

__all__: list[str] = []
