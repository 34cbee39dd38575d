"""OTLP/gRPC transport: our own serialized bytes over a generic unary call (grpcio).

grpcio is imported only when a gRPC exporter is constructed (extra ``otel[grpc]``). The call
uses identity serializers, so no generated protobuf classes are needed on either side.
"""

from __future__ import annotations

import importlib
import logging
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from otel import __version__
from otel.exporter._transport import Attempt
from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._proto import _decode

_logger = logging.getLogger("otel.exporter.otlp")

SERVICE_METHODS = {
    "traces": "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
    "metrics": "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
    "logs": "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
}

# Per the OTLP specification; RESOURCE_EXHAUSTED only when the server sent RetryInfo.
_RETRYABLE = frozenset(
    {"CANCELLED", "DEADLINE_EXCEEDED", "ABORTED", "OUT_OF_RANGE", "UNAVAILABLE", "DATA_LOSS"}
)
_STATUS_DETAILS_KEY = "grpc-status-details-bin"


def import_grpc() -> Any:
    """``grpc``, or an ImportError that says how to get it."""
    try:
        grpc: Any = importlib.import_module("grpc")
    except ImportError as exc:
        raise ImportError(
            "The OTLP/gRPC exporters need grpcio. Install it with: pip install otel[grpc] "
            "(or use the OTLP/HTTP exporters in otel.exporter.otlp.proto.http, which need "
            "nothing beyond the standard library)."
        ) from exc
    return grpc


def parse_target(endpoint: str, insecure: bool) -> tuple[str, bool]:
    """``(host:port, use_tls)`` from ``host:port`` or an http/https URL."""
    if "://" in endpoint:
        parsed = urllib.parse.urlsplit(endpoint)
        scheme = parsed.scheme.lower()
        host = parsed.hostname or "localhost"
        if ":" in host:
            host = f"[{host}]"
        port = parsed.port or 4317
        if scheme == "https":
            return f"{host}:{port}", True
        if scheme == "http":
            return f"{host}:{port}", False
        # e.g. unix:// or dns:// targets are handed to grpc as they are
        return endpoint, not insecure
    return endpoint, not insecure


def _read(path: str | None) -> bytes | None:
    if not path:
        return None
    with open(path, "rb") as handle:
        return handle.read()


class GrpcSender:
    """Unary ``Export`` calls over one channel."""

    def __init__(
        self,
        signal: str,
        endpoint: str,
        *,
        insecure: bool,
        headers: Mapping[str, str] | Sequence[tuple[str, str]],
        compression: Compression,
        credentials: Any = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
    ) -> None:
        grpc = import_grpc()
        self._grpc = grpc
        self._signal = signal
        self.endpoint = endpoint
        target, tls = parse_target(endpoint, insecure)
        if credentials is not None:
            tls = True
        options = [("grpc.primary_user_agent", f"otel-python/{__version__}")]
        if channel_options:
            options.extend(channel_options)
        grpc_compression = {
            Compression.Gzip: grpc.Compression.Gzip,
            Compression.Deflate: grpc.Compression.Deflate,
        }.get(compression, grpc.Compression.NoCompression)
        self.config_error = ""
        self._channel: Any = None
        try:
            if tls:
                if credentials is None:
                    credentials = grpc.ssl_channel_credentials(
                        root_certificates=_read(certificate_file),
                        private_key=_read(client_key_file),
                        certificate_chain=_read(client_certificate_file),
                    )
                self._channel = grpc.secure_channel(
                    target, credentials, options=options, compression=grpc_compression
                )
            else:
                self._channel = grpc.insecure_channel(
                    target, options=options, compression=grpc_compression
                )
        except (OSError, ValueError, TypeError) as exc:
            # logged once; every export then fails with this message, nothing raises
            self.config_error = f"cannot set up the gRPC channel to {endpoint}: {exc}"
            _logger.error("OTLP exporter misconfigured: %s; exports will fail", self.config_error)
        items = headers.items() if isinstance(headers, Mapping) else headers
        self._metadata = tuple((str(k).lower(), str(v)) for k, v in items)
        # no serializers: grpcio sends our bytes and hands back the raw response bytes
        self._call = (
            self._channel.unary_unary(SERVICE_METHODS[signal])
            if self._channel is not None
            else None
        )

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata

    def prepare(self, body: bytes) -> bytes:
        return body  # the channel compresses

    def attempt(self, body: bytes, deadline: float) -> Attempt:
        """One call whose gRPC deadline is what is left of the export's deadline."""
        grpc = self._grpc
        if self._call is None:
            return Attempt(False, False, None, self.config_error)
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            return Attempt(False, True, None, "timed out")
        signal = self._signal
        try:
            response = self._call(body, timeout=timeout, metadata=self._metadata)
        except grpc.RpcError as err:
            return self._classify(err)
        except Exception as exc:
            return Attempt(False, False, None, f"{type(exc).__name__}: {exc}")
        if response:
            try:
                partial = _decode.decode_partial_success(bytes(response))
            except Exception:
                partial = None
            if partial is not None and (partial.rejected or partial.error_message):
                _logger.warning(
                    "OTLP partial success exporting %s to %s: %d rejected; %s",
                    signal,
                    self.endpoint,
                    partial.rejected,
                    partial.error_message or "(no message)",
                )
        return Attempt(True)

    def _classify(self, err: Any) -> Attempt:
        code = err.code() if hasattr(err, "code") else None
        name = getattr(code, "name", str(code))
        details = err.details() if hasattr(err, "details") else ""
        delay: float | None = None
        trailers = err.trailing_metadata() if hasattr(err, "trailing_metadata") else None
        for key, value in trailers or ():
            if key == _STATUS_DETAILS_KEY and isinstance(value, bytes):
                try:
                    status = _decode.decode_status(value)
                except Exception:
                    continue
                delay = status.retry_delay
                if not details:
                    details = status.message
        message = f"gRPC {name}" + (f": {details}" if details else "")
        if name in _RETRYABLE:
            return Attempt(False, True, delay, message)
        if name == "RESOURCE_EXHAUSTED" and delay is not None:
            return Attempt(False, True, delay, message)
        return Attempt(False, False, None, message)

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
