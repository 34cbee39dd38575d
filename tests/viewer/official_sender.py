"""Run by the official SDK's interpreter (benchmarks/.venv-official): emit known telemetry to
a viewer. Usage: official_sender.py PROTOCOL ENDPOINT SERVICE
(PROTOCOL: http/protobuf, grpc, http/json). Prints the trace id it used."""

from __future__ import annotations

import base64
import json
import sys
import urllib.request

from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

protocol, endpoint, service = sys.argv[1:4]
resource = Resource.create({"service.name": service, "deployment.environment": "test"})

spans_mem = InMemorySpanExporter()
tracer_provider = TracerProvider(resource=resource)
tracer_provider.add_span_processor(SimpleSpanProcessor(spans_mem))
tracer = tracer_provider.get_tracer("interop.tracer", "0.1")
with tracer.start_as_current_span("GET /checkout", kind=SpanKind.SERVER) as root:
    root.set_attribute("http.status_code", 200)
    root.set_attribute("ratio", 0.5)
    root.set_attribute("cached", False)
    root.set_attribute("tags", ["x", "y"])
    with tracer.start_as_current_span("charge", kind=SpanKind.CLIENT) as child:
        child.add_event("retry", {"attempt": 2})
        child.set_status(Status(StatusCode.ERROR, "card declined"))
    trace_id = format(root.get_span_context().trace_id, "032x")

reader = InMemoryMetricReader()
meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
meter = meter_provider.get_meter("interop.meter")
meter.create_counter("orders", unit="1").add(5, {"region": "eu"})
meter.create_histogram("order.value", unit="EUR").record(42.0, {"region": "eu"})
metrics_data = reader.get_metrics_data()

logs_mem = InMemoryLogRecordExporter()
logger_provider = LoggerProvider(resource=resource)
logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs_mem))
import logging  # noqa: E402

log = logging.getLogger("interop.logger")
log.addHandler(LoggingHandler(logger_provider=logger_provider))
log.setLevel(logging.INFO)
with tracer.start_as_current_span("log-parent") as parent:
    log.warning("payment failed for %s", "order-9")
    log_trace_id = format(parent.get_span_context().trace_id, "032x")
spans = spans_mem.get_finished_spans()
logs = logs_mem.get_finished_logs()

if protocol == "http/protobuf":
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    results = [
        OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces").export(spans),
        OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics").export(metrics_data),
        OTLPLogExporter(endpoint=f"{endpoint}/v1/logs").export(logs),
    ]
elif protocol == "grpc":
    from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    results = [
        OTLPSpanExporter(endpoint=endpoint, insecure=True).export(spans),
        OTLPMetricExporter(endpoint=endpoint, insecure=True).export(metrics_data),
        OTLPLogExporter(endpoint=endpoint, insecure=True).export(logs),
    ]
else:  # http/json: the official encoders, rendered as OTLP/JSON by protobuf's json_format
    from google.protobuf import json_format
    from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
    from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

    def hex_ids(node: object, key: str = "") -> object:
        if isinstance(node, dict):
            return {k: hex_ids(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [hex_ids(v, key) for v in node]
        if key in ("traceId", "spanId", "parentSpanId") and isinstance(node, str):
            return base64.b64decode(node).hex()
        return node

    results = []
    for path, message in (
        ("traces", encode_spans(spans)),
        ("metrics", encode_metrics(metrics_data)),
        ("logs", encode_logs(logs)),
    ):
        body = json.dumps(hex_ids(json_format.MessageToDict(message))).encode()
        req = urllib.request.Request(
            f"{endpoint}/v1/{path}", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            results.append(resp.status)
print(
    json.dumps(
        {"trace_id": trace_id, "log_trace_id": log_trace_id, "results": [str(r) for r in results]}
    )
)
