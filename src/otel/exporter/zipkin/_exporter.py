"""``ZipkinExporter``: Zipkin v2 spans over HTTP, JSON or protobuf.

Composed of the Zipkin codec (``_json`` straight from SDK spans, or ``_translate`` +
``_encode`` for protobuf), an ``HttpSender`` on the shared
``HttpTransport`` (``_transport=`` in tests) and the shared ``ExportCore`` (timeout as a
deadline for the whole export, retries of 429/502/503/504 and network errors, logging,
instrumentation suppressed). Arguments not given come from ``OTEL_EXPORTER_ZIPKIN_*``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from otel.exporter._transport import (
    ExportCore,
    ExportOutcome,
    HttpSender,
    HttpTransport,
    Transport,
    encode_keeping_good,
)
from otel.exporter.zipkin import _translate
from otel.exporter.zipkin._translate import Endpoint, ZipkinSpan
from otel.sdk.config import env_float, env_str
from otel.sdk.trace.export import SpanExporter, SpanExportResult

_logger = logging.getLogger("otel.exporter.zipkin")

DEFAULT_ENDPOINT = "http://localhost:9411/api/v2/spans"
DEFAULT_TIMEOUT_S = 10.0
OTEL_EXPORTER_ZIPKIN_ENDPOINT = "OTEL_EXPORTER_ZIPKIN_ENDPOINT"
OTEL_EXPORTER_ZIPKIN_TIMEOUT = "OTEL_EXPORTER_ZIPKIN_TIMEOUT"


class ZipkinExporterBase(SpanExporter):
    """The Zipkin exporter for one wire encoding (``content_type``): ``encode`` writes the
    mapped ``ZipkinSpan``s, or None when the subclass overrides ``_encode_spans``.

    ``endpoint`` defaults to ``OTEL_EXPORTER_ZIPKIN_ENDPOINT``, then
    ``http://localhost:9411/api/v2/spans``; ``timeout`` is in seconds (the variable
    ``OTEL_EXPORTER_ZIPKIN_TIMEOUT`` in milliseconds, as the specification says).
    Thread-safe; ``export`` blocks at most for the timeout and never raises.
    """

    def __init__(
        self,
        encode: Callable[[Sequence[ZipkinSpan]], bytes] | None,
        content_type: str,
        endpoint: str | None,
        local_node_ipv4: Any,
        local_node_ipv6: Any,
        local_node_port: int | None,
        max_tag_value_length: int | None,
        timeout: float | None,
        session: object,
        transport: Transport | None,
    ) -> None:
        if session is not None:
            _logger.warning("Zipkin exporters use http.client; the session argument is ignored")
        self.endpoint = endpoint or env_str(OTEL_EXPORTER_ZIPKIN_ENDPOINT) or DEFAULT_ENDPOINT
        if timeout is None:
            timeout_s = env_float(OTEL_EXPORTER_ZIPKIN_TIMEOUT, DEFAULT_TIMEOUT_S * 1000) / 1000
        else:
            timeout_s = float(timeout)
        self.timeout = timeout_s if timeout_s > 0 else DEFAULT_TIMEOUT_S
        self.local_node = Endpoint(
            None,
            str(local_node_ipv4) if local_node_ipv4 else None,
            str(local_node_ipv6) if local_node_ipv6 else None,
            local_node_port,
        )
        self._max_length = max_tag_value_length
        self._encode = encode
        self._locals: dict[int, tuple[Any, Endpoint]] = {}
        sender = HttpSender(
            transport or HttpTransport(),
            self.endpoint,
            {"Content-Type": content_type},
            logger=_logger,
        )
        self._core = ExportCore("spans", sender, self.timeout, protocol="Zipkin", logger=_logger)

    def _local(self, resource: Any) -> Endpoint:
        cached = self._locals.get(id(resource))
        if cached is None or cached[0] is not resource:
            if len(self._locals) > 64:
                self._locals.clear()
            node = self.local_node
            endpoint = _translate.local_endpoint(resource, node.ipv4, node.ipv6, node.port)
            cached = self._locals[id(resource)] = (resource, endpoint)
        return cached[1]

    def _encode_spans(self, spans: Sequence[Any]) -> bytes:
        assert self._encode is not None
        max_length = self._max_length
        mapped = [_translate.span(s, self._local(s.resource), max_length) for s in spans]
        return self._encode(mapped)

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        """Send ``spans`` in one request; SUCCESS or FAILURE, never an exception."""
        if not spans:
            return SpanExportResult.SUCCESS
        try:
            outcome = self._core.send(
                lambda: encode_keeping_good(self._encode_spans, spans, "spans", _logger),
                len(spans),
            )
        except Exception:
            _logger.exception("Zipkin export of %d spans failed unexpectedly", len(spans))
            return SpanExportResult.FAILURE
        ok = outcome is ExportOutcome.SUCCESS
        return SpanExportResult.SUCCESS if ok else SpanExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered here

    def shutdown(self) -> None:
        self._core.shutdown()
