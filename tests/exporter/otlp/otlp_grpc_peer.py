"""A real grpcio server built on opentelemetry-proto's service stubs (test peer)."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import (
    metrics_service_pb2,
    metrics_service_pb2_grpc,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


@dataclass
class Failure:
    code: grpc.StatusCode
    message: str = ""
    retry_delay_s: float | None = None
    sleep_s: float = 0.0


@dataclass
class GrpcReceiver:
    port: int
    requests: list[Any] = field(default_factory=list)
    metadata: list[dict[str, str]] = field(default_factory=list)
    script: list[Failure | Any] = field(default_factory=list)  # Failure or a response message
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, request: Any, context: Any, empty_response: Any) -> Any:
        with self.lock:
            self.attempts += 1
            step = self.script.pop(0) if self.script else None
        if isinstance(step, Failure):
            if step.sleep_s:
                threading.Event().wait(step.sleep_s)
            if step.retry_delay_s is not None:
                info = error_details_pb2.RetryInfo()
                info.retry_delay.FromNanoseconds(int(step.retry_delay_s * 1e9))
                detail = any_pb2.Any()
                detail.Pack(info)
                status = status_pb2.Status(
                    code=step.code.value[0], message=step.message, details=[detail]
                )
                context.set_trailing_metadata(
                    (("grpc-status-details-bin", status.SerializeToString()),)
                )
            context.abort(step.code, step.message)
        with self.lock:
            self.requests.append(request)
            self.metadata.append(dict(context.invocation_metadata()))
        return step if step is not None else empty_response


# (servicer base, registration function, response type) for each OTLP collector service
_SERVICES: tuple[tuple[Any, Any, Any], ...] = (
    (
        trace_service_pb2_grpc.TraceServiceServicer,
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server,
        trace_service_pb2.ExportTraceServiceResponse,
    ),
    (
        metrics_service_pb2_grpc.MetricsServiceServicer,
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server,
        metrics_service_pb2.ExportMetricsServiceResponse,
    ),
    (
        logs_service_pb2_grpc.LogsServiceServicer,
        logs_service_pb2_grpc.add_LogsServiceServicer_to_server,
        logs_service_pb2.ExportLogsServiceResponse,
    ),
)


def _servicer(base: Any, response_type: Any, receiver: GrpcReceiver) -> Any:
    """An instance of ``base`` whose Export hands every request to ``receiver``."""

    class Servicer(base):  # type: ignore[misc]
        def Export(self, request: Any, context: Any) -> Any:
            return receiver.handle(request, context, response_type())

    return Servicer()


def start(server_credentials: Any = None) -> tuple[Any, GrpcReceiver]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    if server_credentials is None:
        port = server.add_insecure_port("127.0.0.1:0")
    else:
        port = server.add_secure_port("127.0.0.1:0", server_credentials)
    receiver = GrpcReceiver(port)
    for base, register, response_type in _SERVICES:
        register(_servicer(base, response_type, receiver), server)
    server.start()
    return server, receiver
