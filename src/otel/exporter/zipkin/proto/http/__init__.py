"""Zipkin v2 protobuf exporter at the official package's path.

``from otel.exporter.zipkin.proto.http import ZipkinExporter`` (was
``opentelemetry.exporter.zipkin.proto.http.ZipkinExporter``): zipkin.proto's ``ListOfSpans``
as ``application/x-protobuf``, encoded by otel itself (no protobuf package needed).
"""

from __future__ import annotations

from typing import Any

from otel.exporter._transport import Transport
from otel.exporter.zipkin._encode import encode_proto
from otel.exporter.zipkin._exporter import DEFAULT_ENDPOINT, ZipkinExporterBase

__all__ = ["DEFAULT_ENDPOINT", "ZipkinExporter"]


class ZipkinExporter(ZipkinExporterBase):
    """Spans as Zipkin v2 protobuf (``application/x-protobuf``) over HTTP."""

    def __init__(
        self,
        endpoint: str | None = None,
        local_node_ipv4: Any = None,
        local_node_ipv6: Any = None,
        local_node_port: int | None = None,
        max_tag_value_length: int | None = None,
        timeout: float | None = None,
        session: object = None,
        *,
        _transport: Transport | None = None,
    ) -> None:
        super().__init__(
            encode_proto,
            "application/x-protobuf",
            endpoint,
            local_node_ipv4,
            local_node_ipv6,
            local_node_port,
            max_tag_value_length,
            timeout,
            session,
            _transport,
        )
