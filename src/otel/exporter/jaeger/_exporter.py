"""``JaegerExporter``: Thrift compact over UDP to an agent, or Thrift binary over HTTP.

Composed of the Jaeger codec (``_translate`` + ``_thrift``), a transport (``UdpTransport``
for the agent, ``HttpTransport`` for a collector; ``_transport=`` in tests) and the shared
``ExportCore`` (timeout as a deadline for the whole export, retries for HTTP, logging,
instrumentation suppressed). Arguments not given come from ``OTEL_EXPORTER_JAEGER_*``.

UDP: spans are grouped by resource (one ``Process`` each) and packed into ``emitBatch``
datagrams of at most ``max_packet_size`` bytes (65,000, the agent's limit). A span too large
for a datagram on its own is retried with its string values truncated, then dropped and
counted (``dropped_spans``). ``export`` never raises; it returns FAILURE when anything was
dropped or not delivered.
"""

from __future__ import annotations

import base64
import functools
import logging
import time
from collections.abc import Sequence
from typing import Any

from otel.exporter._transport import (
    Attempt,
    ExportCore,
    ExportOutcome,
    HttpSender,
    HttpTransport,
    Request,
    Transport,
    TransportError,
    UdpTransport,
)
from otel.exporter.jaeger import _thrift, _translate
from otel.exporter.jaeger._model import Batch, Process
from otel.sdk.config import env_bool, env_float, env_int, env_str
from otel.sdk.trace.export import SpanExporter, SpanExportResult

_logger = logging.getLogger("otel.exporter.jaeger")

DEFAULT_AGENT_HOST_NAME = "localhost"
DEFAULT_AGENT_PORT = 6831
DEFAULT_COLLECTOR_ENDPOINT = "http://localhost:14268/api/traces"
DEFAULT_EXPORT_TIMEOUT = 10  # seconds
#: The Jaeger agent's largest accepted UDP packet.
UDP_PACKET_MAX_LENGTH = 65000

OTEL_EXPORTER_JAEGER_AGENT_HOST = "OTEL_EXPORTER_JAEGER_AGENT_HOST"
OTEL_EXPORTER_JAEGER_AGENT_PORT = "OTEL_EXPORTER_JAEGER_AGENT_PORT"
OTEL_EXPORTER_JAEGER_ENDPOINT = "OTEL_EXPORTER_JAEGER_ENDPOINT"
OTEL_EXPORTER_JAEGER_USER = "OTEL_EXPORTER_JAEGER_USER"
OTEL_EXPORTER_JAEGER_PASSWORD = "OTEL_EXPORTER_JAEGER_PASSWORD"
OTEL_EXPORTER_JAEGER_TIMEOUT = "OTEL_EXPORTER_JAEGER_TIMEOUT"
OTEL_EXPORTER_JAEGER_AGENT_SPLIT_OVERSIZED_BATCHES = (
    "OTEL_EXPORTER_JAEGER_AGENT_SPLIT_OVERSIZED_BATCHES"
)
_TRUNCATE_STEPS = (1024, 128, 16)


def _same(data: bytes) -> bytes:
    return data


class _UdpSender:
    """Each prepared body is one datagram to the agent."""

    def __init__(self, transport: Transport, host: str, port: int) -> None:
        self.transport = transport
        host_part = f"[{host}]" if ":" in host else host
        self.endpoint = f"udp://{host_part}:{port}"

    def prepare(self, body: bytes) -> bytes:
        return body

    def attempt(self, body: bytes, deadline: float) -> Attempt:
        try:
            self.transport.send(Request("SEND", self.endpoint, {}, body), deadline)
        except TransportError as exc:
            # a datagram is not worth retrying: the agent's buffer is the backlog
            return Attempt(False, False, None, str(exc))
        return Attempt(True)

    def close(self) -> None:
        self.transport.close()


class JaegerExporter(SpanExporter):
    """Spans to a Jaeger agent (UDP, default ``localhost:6831``) or collector (HTTP).

    A collector is used when ``collector_endpoint`` (or ``OTEL_EXPORTER_JAEGER_ENDPOINT``)
    is set, with basic auth when ``username``/``password`` are. ``timeout`` is in seconds
    (``OTEL_EXPORTER_JAEGER_TIMEOUT`` in milliseconds, as the specification says).
    Thread-safe; ``export`` blocks at most for the timeout.
    """

    def __init__(
        self,
        agent_host_name: str | None = None,
        agent_port: int | None = None,
        collector_endpoint: str | None = None,
        username: str | None = None,
        password: str | None = None,
        max_tag_value_length: int | None = None,
        udp_split_oversized_batches: bool | None = None,
        timeout: float | None = None,
        *,
        _transport: Transport | None = None,
    ) -> None:
        self.agent_host_name: str = agent_host_name or (
            env_str(OTEL_EXPORTER_JAEGER_AGENT_HOST) or DEFAULT_AGENT_HOST_NAME
        )
        self.agent_port = int(
            agent_port or env_int(OTEL_EXPORTER_JAEGER_AGENT_PORT, DEFAULT_AGENT_PORT, minimum=1)
        )
        self.collector_endpoint = collector_endpoint or env_str(OTEL_EXPORTER_JAEGER_ENDPOINT)
        self.username = username or env_str(OTEL_EXPORTER_JAEGER_USER)
        self.password = password or env_str(OTEL_EXPORTER_JAEGER_PASSWORD)
        self._max_tag_value_length = max_tag_value_length
        if udp_split_oversized_batches is None:
            udp_split_oversized_batches = env_bool(
                OTEL_EXPORTER_JAEGER_AGENT_SPLIT_OVERSIZED_BATCHES, True
            )
        self.udp_split_oversized_batches = bool(udp_split_oversized_batches)
        if timeout is None:
            timeout_s = env_float(OTEL_EXPORTER_JAEGER_TIMEOUT, DEFAULT_EXPORT_TIMEOUT * 1000.0)
            timeout_s /= 1000.0
        else:
            timeout_s = float(timeout)
        self._timeout = timeout_s if timeout_s > 0 else float(DEFAULT_EXPORT_TIMEOUT)
        self.max_packet_size = UDP_PACKET_MAX_LENGTH
        #: spans dropped because they could not fit one datagram even truncated
        self.dropped_spans = 0
        self._processes: dict[int, tuple[Any, Process, bytes]] = {}
        self._seq = 0
        self._http = bool(self.collector_endpoint)
        if self._http:
            headers = {"Content-Type": "application/x-thrift"}
            if self.username or self.password:
                token = f"{self.username or ''}:{self.password or ''}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
            sender: Any = HttpSender(
                _transport or HttpTransport(),
                str(self.collector_endpoint),
                headers,
                logger=_logger,
            )
        else:
            sender = _UdpSender(_transport or UdpTransport(), self.agent_host_name, self.agent_port)
        self._core = ExportCore("spans", sender, self._timeout, protocol="Jaeger", logger=_logger)

    # ------------------------------------------------------------------ encoding

    def _process(self, resource: Any) -> tuple[Process, bytes]:
        cached = self._processes.get(id(resource))
        if cached is None or cached[0] is not resource:
            if len(self._processes) > 64:
                self._processes.clear()
            process = _translate.process(resource)
            cached = (resource, process, _thrift.compact_process(process))
            self._processes[id(resource)] = cached
        return cached[1], cached[2]

    def _group(self, spans: Sequence[Any]) -> list[tuple[Process, bytes, list[Any]]]:
        groups: dict[int, tuple[Process, bytes, list[Any]]] = {}
        for span in spans:
            resource = span.resource
            group = groups.get(id(resource))
            if group is None:
                process, process_bytes = self._process(resource)
                group = groups[id(resource)] = (process, process_bytes, [])
            group[2].append(span)
        return list(groups.values())

    def _map(self, spans: Sequence[Any]) -> tuple[list[Any], int]:
        """Jaeger spans of ``spans``; the ones that cannot be mapped are dropped and logged."""
        limit = self._max_tag_value_length
        out = []
        failed = 0
        for span in spans:
            try:
                out.append(_translate.span(span, limit))
            except Exception as exc:
                failed += 1
                if failed == 1:
                    _logger.error("Jaeger: dropped a span that could not be mapped: %r", exc)
        return out, failed

    def _datagrams(
        self, process_bytes: bytes, spans: list[Any]
    ) -> tuple[list[tuple[bytes, int]], int]:
        """(datagram, span count) pairs under the packet limit, and how many spans were dropped."""
        room = self.max_packet_size - _thrift.EMIT_BATCH_OVERHEAD - len(process_bytes)
        encoded: list[bytes] = []
        too_large = 0
        for span in spans:
            data = _thrift.compact_span(span)
            fitting = data if len(data) <= room else self._shrink(span, room)
            if fitting is None:
                too_large += 1
            else:
                encoded.append(fitting)
        if not self.udp_split_oversized_batches:
            total = sum(map(len, encoded))
            if total > room:
                return [], len(encoded) + too_large
            return ([(self._message(process_bytes, encoded), len(encoded))] if encoded else []), (
                too_large
            )
        datagrams: list[tuple[bytes, int]] = []
        current: list[bytes] = []
        size = 0
        for data in encoded:
            if current and size + len(data) > room:
                datagrams.append((self._message(process_bytes, current), len(current)))
                current, size = [], 0
            current.append(data)
            size += len(data)
        if current:
            datagrams.append((self._message(process_bytes, current), len(current)))
        return datagrams, too_large

    def _shrink(self, span: Any, room: int) -> bytes | None:
        for step in _TRUNCATE_STEPS:
            data = _thrift.compact_span(_translate.truncated(span, step))
            if len(data) <= room:
                return data
        return None

    def _message(self, process_bytes: bytes, spans: list[bytes]) -> bytes:
        self._seq = (self._seq + 1) & 0x7FFFFFFF
        return _thrift.emit_batch_message(process_bytes, spans, self._seq)

    # ------------------------------------------------------------------ export

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        """Send ``spans``; SUCCESS or FAILURE, never an exception."""
        if not spans:
            return SpanExportResult.SUCCESS
        try:
            ok = self._export(spans)
        except Exception:
            _logger.exception("Jaeger export of %d spans failed unexpectedly", len(spans))
            ok = False
        return SpanExportResult.SUCCESS if ok else SpanExportResult.FAILURE

    def _export(self, spans: Sequence[Any]) -> bool:
        deadline = time.monotonic() + self._timeout
        ok = True
        core = self._core
        for process, process_bytes, group in self._group(spans):
            mapped, failed = self._map(group)
            ok = ok and not failed
            if self._http:
                batch = Batch(process, mapped)
                outcome = core.send(
                    functools.partial(_thrift.binary_batch, batch),
                    len(mapped),
                    deadline - time.monotonic(),
                )
                ok = ok and outcome is ExportOutcome.SUCCESS
                continue
            datagrams, too_large = self._datagrams(process_bytes, mapped)
            if too_large:
                self.dropped_spans += too_large
                ok = False
                _logger.warning(
                    "Jaeger: dropped %d span(s) too large for a %d-byte UDP datagram "
                    "(%d dropped so far)",
                    too_large,
                    self.max_packet_size,
                    self.dropped_spans,
                )
            for i, (datagram, count) in enumerate(datagrams):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    unsent = sum(c for _, c in datagrams[i:])
                    _logger.error(
                        "Jaeger: %d spans not sent: the export timeout (%.3g s) ran out",
                        unsent,
                        self._timeout,
                    )
                    return False
                outcome = core.send(functools.partial(_same, datagram), count, remaining)
                ok = ok and outcome is ExportOutcome.SUCCESS
        return ok

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered here

    def shutdown(self) -> None:
        self._core.shutdown()
