"""One service's telemetry pipeline: tracer, meter and logger providers with its own
``service.name``, exporting over the real OTLP/HTTP exporters to the demo's viewer.

Both demo services live in one process, so each gets its own providers (nothing global).
"""

from __future__ import annotations

import logging

from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.logs import LoggerProvider, LoggingHandler
from otel.sdk.logs.export import BatchLogRecordProcessor
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import PeriodicExportingMetricReader
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

#: short delays so what the demo does shows up in the UI within a second or two
SPAN_DELAY_MILLIS = 500
METRIC_INTERVAL_MILLIS = 2_000


class ServiceTelemetry:
    """Providers of one service plus a stdlib logger (``demo.<service>``) wired to them.

    ``shutdown(timeout_millis)`` flushes and stops everything; bounded by the timeout.
    """

    def __init__(self, service: str, otlp_endpoint: str) -> None:
        base = otlp_endpoint.rstrip("/")
        resource = Resource.create({"service.name": service, "service.namespace": "otel-demo"})
        self.service = service
        self.tracer_provider = TracerProvider(resource=resource)
        self.tracer_provider.add_span_processor(
            BatchSpanProcessor(
                OTLPSpanExporter(endpoint=f"{base}/v1/traces"),
                schedule_delay_millis=SPAN_DELAY_MILLIS,
            )
        )
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=f"{base}/v1/metrics"),
            export_interval_millis=METRIC_INTERVAL_MILLIS,
        )
        self.meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
        self.logger_provider = LoggerProvider(resource=resource)
        self.logger_provider.add_log_record_processor(
            BatchLogRecordProcessor(
                OTLPLogExporter(endpoint=f"{base}/v1/logs"),
                schedule_delay_millis=SPAN_DELAY_MILLIS,
            )
        )
        self.tracer = self.tracer_provider.get_tracer("otel.demo")
        self.meter = self.meter_provider.get_meter("otel.demo")
        self.logger = logging.getLogger(f"demo.{service}")
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False
        self._handler = LoggingHandler(logger_provider=self.logger_provider)
        self.logger.addHandler(self._handler)

    def shutdown(self, timeout_millis: float = 5_000) -> None:
        self.logger.removeHandler(self._handler)
        share = timeout_millis / 3
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown(timeout_millis=share)
        self.logger_provider.shutdown()
