"""Export traces and metrics over OTLP to a collector on localhost.

Where the data goes:
  * ``otel view`` (otel's own local receiver and UI), or an OpenTelemetry Collector, Jaeger,
    Tempo ... listening for OTLP/HTTP on localhost:4318 -- the default used here;
  * anywhere else: set OTEL_EXPORTER_OTLP_ENDPOINT (for example http://collector:4318),
    OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_COMPRESSION=gzip ...

For OTLP/gRPC on port 4317 (needs ``pip install otel[grpc]``) import the exporters from
``otel.exporter.otlp.proto.grpc.trace_exporter`` / ``.metric_exporter`` instead.

If nothing listens, nothing breaks: each export logs why it failed and gives up within its
timeout (OTEL_EXPORTER_OTLP_TIMEOUT, in milliseconds; 10 s by default).

Run: python examples/otcollector_example.py
"""

import logging
import time

from otel import metrics, trace
from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import PeriodicExportingMetricReader
from otel.sdk.resources import SERVICE_NAME, Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

# Show the exporters' own messages (e.g. "Failed to export ... connection refused").
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

# Every span and metric carries the name of the service that produced it.
resource = Resource.create({SERVICE_NAME: "otcollector-example"})

# Traces: ended spans are batched in the background and sent to
# http://localhost:4318/v1/traces (or wherever OTEL_EXPORTER_OTLP_* points).
tracer_provider = TracerProvider(resource=resource)
tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(tracer_provider)

# Metrics: collected every 5 seconds and sent to http://localhost:4318/v1/metrics.
reader = PeriodicExportingMetricReader(OTLPMetricExporter(), export_interval_millis=5000)
meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
metrics.set_meter_provider(meter_provider)

tracer = trace.get_tracer(__name__)
meter = metrics.get_meter(__name__)
work_done = meter.create_counter("work.items", unit="{item}", description="Items processed")
work_time = meter.create_histogram("work.duration", unit="ms", description="Time per item")

with tracer.start_as_current_span("batch") as batch:
    batch.set_attribute("batch.size", 3)
    for item in ("apple", "pear", "plum"):
        with tracer.start_as_current_span("process-item") as span:
            span.set_attribute("item.name", item)
            started = time.perf_counter()
            time.sleep(0.01)  # the "work"
            work_done.add(1, {"item.kind": "fruit"})
            work_time.record((time.perf_counter() - started) * 1000, {"item.kind": "fruit"})
    print("Hello from the otcollector example: 4 spans and 2 metrics recorded.")

# Send what is still buffered, then stop the background threads.
tracer_provider.shutdown()
meter_provider.shutdown()
