"""Getting started with logs: stdlib ``logging`` records, correlated with a span.

Run: python examples/logs_example.py

Nothing in the application's logging calls changes: a ``LoggingHandler`` on the root
logger turns every record into an OpenTelemetry log record, printed here as one JSON
object per line. The records logged inside the span carry its ``trace_id`` and
``span_id``; the one logged outside carries none. ``LoggingInstrumentor`` also puts
the ids into classic text logs through ``%(otelTraceID)s`` and ``%(otelSpanID)s``.
"""

import logging
import sys

from otel import trace
from otel._logs import set_logger_provider
from otel.instrumentation.logging import LoggingInstrumentor
from otel.sdk._logs import LoggerProvider, LoggingHandler
from otel.sdk._logs.export import BatchLogRecordProcessor, ConsoleLogExporter
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider

resource = Resource.create({"service.name": "logs-example"})

# Traces: a provider without exporter is enough for spans to get ids.
trace.set_tracer_provider(TracerProvider(resource=resource))
tracer = trace.get_tracer("logs.example")

# Logs: records go, in batches, to an exporter that prints them as JSON lines.
logger_provider = LoggerProvider(resource=resource)
logger_provider.add_log_record_processor(BatchLogRecordProcessor(ConsoleLogExporter()))
set_logger_provider(logger_provider)

# Bridge the standard logging module: every record reaching the root logger is exported.
logging.getLogger().addHandler(LoggingHandler(level=logging.INFO))
logging.getLogger().setLevel(logging.INFO)

# Classic text logs get the ids too (on stderr, so the two outputs stay apart).
LoggingInstrumentor().instrument()
text = logging.StreamHandler(sys.stderr)
text.setFormatter(logging.Formatter("%(levelname)s trace_id=%(otelTraceID)s %(message)s"))
logging.getLogger().addHandler(text)

log = logging.getLogger("shop.checkout")

log.info("service starting")  # outside any span: no trace id
with tracer.start_as_current_span("checkout"):
    log.info("cart has %d items", 3, extra={"cart.id": "c-42"})
    try:
        raise ValueError("card declined")
    except ValueError:
        log.exception("payment failed")

# Optional here: the provider also shuts down (and flushes) when the interpreter exits.
logger_provider.shutdown()
