"""Zero-code instrumentation: ``otel run -- python app.py`` (official: opentelemetry-instrument).

``otel run`` (``_cli``) turns its ``--<variable>`` options into OTEL_* environment
variables and runs the program with this package's ``_site`` directory first on
``PYTHONPATH``; its ``sitecustomize`` calls :func:`initialize` in the program's process.
"""

from otel.instrumentation.auto_instrumentation._initialize import (
    initialize,
    instrument_installed,
)

__all__ = ["initialize", "instrument_installed"]
