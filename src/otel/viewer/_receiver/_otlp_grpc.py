"""OTLP/gRPC receiver: the three collector services over grpcio (extra ``otel[grpc]``).

Generic handlers get the raw request bytes, so our own decoder runs (no protobuf package).
Answers: OK with partial success, INVALID_ARGUMENT for a malformed request, UNAVAILABLE
(retryable) when the store is behind. ``grpc`` is imported only here, only when started.
"""

from __future__ import annotations

from concurrent import futures
from typing import Any

from otel.exporter.otlp._grpc import import_grpc
from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._receiver._otlp import SIGNALS, decode, proto_response, store_decoded
from otel.viewer._store._interface import Store, StoreError

_SERVICES = {
    "opentelemetry.proto.collector.trace.v1.TraceService": "traces",
    "opentelemetry.proto.collector.metrics.v1.MetricsService": "metrics",
    "opentelemetry.proto.collector.logs.v1.LogsService": "logs",
}
MAX_MESSAGE_BYTES = 64 << 20


class GrpcReceiver:
    """A started grpcio server; ``port`` is the bound port. ``stop`` is bounded."""

    def __init__(self, host: str, port: int, store: Store) -> None:
        grpc = import_grpc()
        self._grpc = grpc
        self._server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="otel-view-grpc"),
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.so_reuseport", 0),
            ],
        )
        handlers = []
        for service, signal_name in _SERVICES.items():
            method = grpc.unary_unary_rpc_method_handler(self._handler(store, signal_name))
            handlers.append(grpc.method_handlers_generic_handler(service, {"Export": method}))
        self._server.add_generic_rpc_handlers(tuple(handlers))
        target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            bound = self._server.add_insecure_port(target)
        except RuntimeError as exc:
            raise OSError(f"cannot bind {target}: {exc}") from None
        if not bound:
            raise OSError(f"address {target} already in use")
        self.port = int(bound)
        self._server.start()

    def _handler(self, store: Store, signal_name: str) -> Any:
        signal = SIGNALS[signal_name]
        grpc = self._grpc

        def export(request: bytes, context: Any) -> bytes:
            try:
                decoded = decode(signal, request, is_json=False)
            except (DecodeError, RecursionError) as exc:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"malformed request: {exc}")
                raise  # unreachable: abort raises
            try:
                decoded = store_decoded(store, signal, decoded)
            except StoreError as exc:
                context.abort(grpc.StatusCode.UNAVAILABLE, str(exc))
                raise
            return proto_response(decoded)

        return export

    def stop(self, timeout_millis: float = 2000) -> None:
        self._server.stop(grace=timeout_millis / 1000).wait(timeout_millis / 1000)
