"""Starts the receivers beside OTLP/HTTP: OTLP/gRPC (when grpcio is importable), Zipkin and
Jaeger (when the Jaeger Thrift codec is in this build), each reported in one line when it
cannot start."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _importable(load: Callable[[], object]) -> bool:
    try:
        load()
    except ImportError:
        return False
    return True


def start(
    viewer: Any,
    host: str,
    grpc_port: int,
    jaeger_port: int,
    zipkin_port: int,
    try_bind: Callable[..., Any],
) -> None:
    store = viewer.store
    if grpc_port:
        from otel.exporter.otlp._grpc import import_grpc

        if not _importable(import_grpc):
            viewer.problems.append(
                "OTLP/gRPC receiver not started: grpcio is not installed (pip install otel[grpc])"
            )
        else:
            from otel.viewer._receiver._otlp_grpc import GrpcReceiver

            receiver = try_bind(
                viewer,
                "otlp_grpc",
                grpc_port,
                "OTLP/gRPC receiver",
                lambda p: GrpcReceiver(host, p, store),
            )
            if receiver is not None:
                viewer.add_stopper("otlp_grpc", receiver.port, receiver.stop)
    if zipkin_port:
        from otel.viewer._receiver._zipkin import zipkin_server

        server = try_bind(
            viewer,
            "zipkin",
            zipkin_port,
            "Zipkin receiver",
            lambda p: zipkin_server(host, p, store),
        )
        if server is not None:
            viewer.serve("zipkin", server, server.server_address[1])
    if jaeger_port:
        from otel.viewer._receiver._jaeger_udp import JaegerUdpReceiver, load_codec

        if not _importable(load_codec):
            viewer.problems.append(
                "Jaeger receiver not started: the Jaeger Thrift codec is not in this build"
            )
            return
        jaeger = try_bind(
            viewer,
            "jaeger_udp",
            jaeger_port,
            "Jaeger UDP receiver",
            lambda p: JaegerUdpReceiver(host, p, store),
        )
        if jaeger is not None:
            viewer.add_stopper("jaeger_udp", jaeger.port, jaeger.stop)
