"""Zipkin v2 JSON exporter at the official package's path.

``from otel.exporter.zipkin.json import ZipkinExporter`` (was
``opentelemetry.exporter.zipkin.json.ZipkinExporter``). Only the v2 protocol is spoken:
``version=Protocol.V1`` logs a warning and sends v2.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from typing import Any

from otel.exporter._transport import Transport
from otel.exporter.zipkin._exporter import DEFAULT_ENDPOINT, ZipkinExporterBase
from otel.exporter.zipkin._json import encode_spans

__all__ = ["DEFAULT_ENDPOINT", "Protocol", "ZipkinExporter"]


class Protocol(enum.Enum):
    """Zipkin API versions (only V2 is sent)."""

    V1 = "v1"
    V2 = "v2"


class ZipkinExporter(ZipkinExporterBase):
    """Spans as Zipkin v2 JSON (``application/json``) over HTTP."""

    def __init__(
        self,
        version: Protocol = Protocol.V2,
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
        if version is not Protocol.V2:
            logging.getLogger("otel.exporter.zipkin").warning(
                "Zipkin protocol %s is not supported; sending v2 JSON", version
            )
        super().__init__(
            None,
            "application/json",
            endpoint,
            local_node_ipv4,
            local_node_ipv6,
            local_node_port,
            max_tag_value_length,
            timeout,
            session,
            _transport,
        )

    def _encode_spans(self, spans: Sequence[Any]) -> bytes:
        """SDK spans straight to the JSON body (no intermediate ``ZipkinSpan``)."""
        return encode_spans(spans, self._local, self._max_length)
