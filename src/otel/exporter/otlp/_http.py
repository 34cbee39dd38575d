"""OTLP over HTTP on the shared transport: request headers and reading the answers.

The transport (``otel.exporter._transport.HttpTransport``: http.client, kept-alive, TLS,
deadline) and the retry loop are shared with every exporter; what is OTLP's is here: the
content types, the ``google.rpc.Status`` in error bodies and partial success in answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from otel.exporter._transport import HttpSender, Response, Transport, check_http_url
from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._proto import _decode

_logger = logging.getLogger("otel.exporter.otlp")

CONTENT_TYPE_PROTOBUF = "application/x-protobuf"
CONTENT_TYPE_JSON = "application/json"


def _is_json(resp: Response) -> bool:
    return "json" in resp.headers.get("content-type", "").lower()


def _is_protobuf(resp: Response) -> bool:
    return "protobuf" in resp.headers.get("content-type", "").lower()


def error_message(resp: Response) -> str:
    """The message of an OTLP error answer (``Status`` in protobuf or JSON, else text)."""
    body = resp.body
    if not body:
        return ""
    try:
        if _is_protobuf(resp):
            return _decode.decode_status(body).message or ""
        if _is_json(resp):
            from otel.exporter.otlp import _json

            return _json.decode_status(body).message or body.decode("utf-8", "replace")[:512]
    except Exception:  # a malformed error body is reported as text
        pass
    return body.decode("utf-8", "replace").strip()[:512]


def _partial_success_logger(signal: str, endpoint: str) -> Callable[[Response], None]:
    def log_partial_success(resp: Response) -> None:
        if not resp.body:
            return
        try:
            if _is_json(resp):
                from otel.exporter.otlp import _json

                partial = _json.decode_partial_success(resp.body)
            else:
                partial = _decode.decode_partial_success(resp.body)
        except Exception:  # an unreadable success answer is still a success
            _logger.debug("Unreadable OTLP response body from %s", endpoint)
            return
        if partial is not None and (partial.rejected or partial.error_message):
            _logger.warning(
                "OTLP partial success exporting %s to %s: %d rejected; %s",
                signal,
                endpoint,
                partial.rejected,
                partial.error_message or "(no message)",
            )

    return log_partial_success


def otlp_http_sender(
    signal: str,
    endpoint: str,
    *,
    headers: Mapping[str, str],
    content_type: str,
    compression: Compression,
    certificate_file: str | None = None,
    client_key_file: str | None = None,
    client_certificate_file: str | None = None,
    transport: Transport | None = None,
) -> HttpSender:
    """The sender of one OTLP/HTTP exporter; misconfiguration is logged, never raised."""
    # http.client and ssl load here, when an exporter is built, not when it is imported
    from otel.exporter._transport import HttpTransport, make_ssl_context

    config_error = check_http_url(endpoint, "OTLP/HTTP endpoint")
    if transport is None:
        context = None
        if not config_error and endpoint.lower().startswith("https:"):
            try:
                context = make_ssl_context(
                    certificate_file, client_key_file, client_certificate_file
                )
            except (OSError, ValueError) as exc:
                config_error = f"cannot set up TLS for {endpoint}: {exc}"
        transport = HttpTransport(context)
    # user headers win, except that the body format is ours to state
    merged = {"Content-Type": content_type}
    for key, value in headers.items():
        if key.lower() not in ("content-type", "content-encoding", "content-length"):
            merged[key] = value
    return HttpSender(
        transport,
        endpoint,
        merged,
        compression=compression.value,
        describe_error=error_message,
        on_success=_partial_success_logger(signal, endpoint),
        config_error=config_error,
        logger=_logger,
    )
