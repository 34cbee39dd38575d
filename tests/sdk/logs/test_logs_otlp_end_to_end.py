"""The official getting-started code for logs, with ``opentelemetry`` replaced by ``otel``,
sends stdlib log records over OTLP/HTTP; a local receiver decodes them with the real
opentelemetry-proto package."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator

import pytest

from _support.peers import import_peer

logs_service = import_peer("opentelemetry.proto.collector.logs.v1.logs_service_pb2")

pytestmark = pytest.mark.interop


class _Receiver(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        _Receiver.bodies.append(self.rfile.read(length))
        body = logs_service.ExportLogsServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/logs"
    server.shutdown()
    server.server_close()


def test_official_getting_started_code_exports_over_otlp_http(receiver: str) -> None:
    from otel._logs import set_logger_provider
    from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from otel.sdk._logs import LoggerProvider, LoggingHandler
    from otel.sdk._logs.export import BatchLogRecordProcessor
    from otel.sdk.resources import Resource
    from otel.sdk.trace import TracerProvider

    logger_provider = LoggerProvider(
        resource=Resource.create(
            {"service.name": "shoppingcart", "service.instance.id": "instance-12"}
        ),
    )
    set_logger_provider(logger_provider)
    exporter = OTLPLogExporter(endpoint=receiver)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    handler = LoggingHandler(level=logging.NOTSET, logger_provider=logger_provider)
    app = logging.getLogger("myapp.area1")
    app.addHandler(handler)
    app.setLevel(logging.DEBUG)
    tracer = TracerProvider().get_tracer("e2e")
    try:
        app.debug("Quick zephyrs blow, vexing daft Jim.")
        with tracer.start_as_current_span("foo") as span:
            app.warning("Jail zesty vixen who grabbed pay from quack.", extra={"cart.items": 3})
        logger_provider.shutdown()
    finally:
        app.removeHandler(handler)
        app.setLevel(logging.NOTSET)

    records = []
    for body in _Receiver.bodies:
        request = logs_service.ExportLogsServiceRequest.FromString(body)
        for resource_logs in request.resource_logs:
            attributes = {kv.key: kv.value.string_value for kv in resource_logs.resource.attributes}
            assert attributes["service.name"] == "shoppingcart"
            for scope_logs in resource_logs.scope_logs:
                assert scope_logs.scope.name == "myapp.area1"
                records.extend(scope_logs.log_records)
    assert [r.body.string_value for r in records] == [
        "Quick zephyrs blow, vexing daft Jim.",
        "Jail zesty vixen who grabbed pay from quack.",
    ]
    debug, warning = records
    assert (debug.severity_number, debug.severity_text) == (5, "DEBUG")
    assert debug.trace_id == b""
    context = span.get_span_context()
    assert warning.severity_number == 13
    assert warning.trace_id == context.trace_id.to_bytes(16, "big")
    assert warning.span_id == context.span_id.to_bytes(8, "big")
    assert {a.key: a.value.int_value for a in warning.attributes}["cart.items"] == 3
