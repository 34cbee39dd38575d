"""OTLP/HTTP receiver: ``POST /v1/traces``, ``/v1/metrics``, ``/v1/logs``.

Protobuf (``application/x-protobuf``) and OTLP/JSON (``application/json``), gzip, chunked
bodies, CORS for browser SDKs. Answers per the OTLP spec: 200 (with partial success when
items were rejected) only once the data is committed; 400 with a ``google.rpc.Status`` for a
malformed body; 413 beyond the body limits; 415 for an unknown content type or encoding;
503 with ``Retry-After`` when the store is behind.
"""

from __future__ import annotations

from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._http import Handler, HttpError, Server
from otel.viewer._receiver._otlp import (
    GRPC_INVALID_ARGUMENT,
    GRPC_UNAVAILABLE,
    SIGNALS,
    decode,
    json_response,
    proto_response,
    status_json,
    status_proto,
    store_decoded,
)
from otel.viewer._store._interface import Store, StoreBusy, StoreError

_PROTO_TYPES = ("application/x-protobuf", "application/protobuf")
_JSON_TYPES = ("application/json",)
RETRY_AFTER_SECONDS = 2

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
}


class OtlpHttpHandler(Handler):
    def _store(self) -> Store:
        store: Store = self.server.context["store"]
        return store

    def do_OPTIONS(self) -> None:
        headers = dict(CORS)
        headers["Access-Control-Allow-Headers"] = self.headers.get(
            "Access-Control-Request-Headers", "Content-Type, Content-Encoding"
        )
        self.send(204, b"", "text/plain", headers)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        signal = SIGNALS.get(path[4:]) if path.startswith("/v1/") else None
        content_type = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        is_json = content_type in _JSON_TYPES
        try:
            if signal is None:
                self.discard_body()
                raise HttpError(404, f"no OTLP endpoint at {path}")
            if not is_json and content_type not in _PROTO_TYPES:
                self.discard_body()
                raise HttpError(415, f"unsupported Content-Type {content_type!r}")
            body = self.read_body()
            try:
                decoded = decode(signal, body, is_json)
            except (DecodeError, RecursionError) as exc:
                raise HttpError(400, f"malformed {signal.name} request: {exc}") from None
            try:
                decoded = store_decoded(self._store(), signal, decoded)
            except StoreBusy as exc:
                raise HttpError(503, str(exc), {"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
            except StoreError as exc:
                raise HttpError(503, str(exc), {"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
        except HttpError as err:
            code = GRPC_UNAVAILABLE if err.status == 503 else GRPC_INVALID_ARGUMENT
            headers = {**CORS, **err.headers}
            if is_json:
                self.send(err.status, status_json(code, err.reason), "application/json", headers)
            else:
                self.send(
                    err.status, status_proto(code, err.reason), "application/x-protobuf", headers
                )
            return
        if is_json:
            self.send(200, json_response(signal, decoded), "application/json", CORS)
        else:
            self.send(200, proto_response(decoded), "application/x-protobuf", CORS)


def otlp_http_server(host: str, port: int, store: Store) -> Server:
    """Bind (raises ``OSError`` when the port is taken); serve with ``serve_forever``."""
    return Server((host, port), OtlpHttpHandler, store=store)
