"""Starts the receivers beside OTLP/HTTP: OTLP/gRPC (when grpcio is importable), Zipkin and
Jaeger, each reported in one line when it cannot start."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def start(
    viewer: Any,
    host: str,
    grpc_port: int,
    jaeger_port: int,
    zipkin_port: int,
    try_bind: Callable[..., Any],
) -> None:
    if grpc_port:
        try:
            from otel.viewer._receiver._otlp_grpc import GrpcReceiver

            import_ok = True
            from otel.exporter.otlp._grpc import import_grpc

            import_grpc()
        except ImportError:
            import_ok = False
        if not import_ok:
            viewer.problems.append(
                "OTLP/gRPC receiver not started: grpcio is not installed (pip install otel[grpc])"
            )
        else:
            receiver = try_bind(
                viewer,
                "otlp_grpc",
                grpc_port,
                "OTLP/gRPC receiver",
                lambda p: GrpcReceiver(host, p, viewer.store),
            )
            if receiver is not None:
                viewer.add_stopper("otlp_grpc", receiver.port, receiver.stop)
