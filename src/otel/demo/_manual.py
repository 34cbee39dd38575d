"""Hand-written instrumentation for the demo, used only when otel's Flask, requests and
sqlite3 instrumentations are not installed. API only; the span shapes follow the stable
HTTP and database semantic conventions, like the real instrumentations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from otel import propagate, trace
from otel.context import attach, detach

if TYPE_CHECKING:  # Flask is imported only when the demo runs this path
    from flask import Flask, Response

_SPAN_KEY = "otel_demo_span"
_TOKEN_KEY = "otel_demo_token"


def trace_flask_app(app: Flask, tracer: trace.Tracer) -> None:
    """One SERVER span per request, named ``METHOD route``, parent taken from the headers."""
    from flask import g, request

    @app.before_request
    def _start() -> None:
        parent = propagate.extract(dict(request.headers))
        rule = request.url_rule.rule if request.url_rule is not None else request.path
        span = tracer.start_span(
            f"{request.method} {rule}",
            context=parent,
            kind=trace.SpanKind.SERVER,
            attributes={
                "http.request.method": request.method,
                "url.path": request.path,
                "url.scheme": request.scheme,
                "http.route": rule,
            },
        )
        setattr(g, _SPAN_KEY, span)
        setattr(g, _TOKEN_KEY, attach(trace.set_span_in_context(span, parent)))

    @app.after_request
    def _status(response: Response) -> Response:
        span = getattr(g, _SPAN_KEY, None)
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(trace.Status(trace.StatusCode.ERROR))
        return response

    @app.teardown_request
    def _end(exc: BaseException | None) -> None:
        span = getattr(g, _SPAN_KEY, None)
        token = getattr(g, _TOKEN_KEY, None)
        if span is None:
            return
        if exc is not None:
            span.record_exception(exc)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
        span.end()
        if token is not None:
            detach(token)


def traced_post(
    post_json: Callable[[str, Any], tuple[int, Any]], tracer: trace.Tracer
) -> Callable[[str, Any], tuple[int, Any]]:
    """Wrap ``post_json`` in a CLIENT span and send the trace context along."""
    import requests

    def post(url: str, body: Any) -> tuple[int, Any]:
        with tracer.start_as_current_span(
            "POST",
            kind=trace.SpanKind.CLIENT,
            attributes={"http.request.method": "POST", "url.full": url},
        ) as span:
            headers: dict[str, str] = {}
            propagate.inject(headers)
            response = requests.post(url, json=body, headers=headers, timeout=5)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_status(trace.Status(trace.StatusCode.ERROR))
            try:
                return response.status_code, response.json()
            except ValueError:
                return response.status_code, None

    return post


class TracedCursor:
    """A sqlite3 cursor whose ``execute`` runs in a CLIENT span (query text, no parameters)."""

    def __init__(self, cursor: Any, tracer: trace.Tracer, namespace: str) -> None:
        self._cursor = cursor
        self._tracer = tracer
        self._namespace = namespace

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        words = sql.split()
        operation = words[0].upper() if words else "SQL"
        name = operation
        upper = [w.upper() for w in words]
        for keyword in ("FROM", "INTO", "UPDATE"):
            if keyword in upper and upper.index(keyword) + 1 < len(words):
                name = f"{operation} {words[upper.index(keyword) + 1]}"
                break
        with self._tracer.start_as_current_span(
            name,
            kind=trace.SpanKind.CLIENT,
            attributes={
                "db.system.name": "sqlite",
                "db.namespace": self._namespace,
                "db.operation.name": operation,
                "db.query.text": sql,
            },
        ):
            self._cursor.execute(sql, parameters)
        return self

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    @property
    def lastrowid(self) -> Any:
        return self._cursor.lastrowid


class TracedConnection:
    """The few ``sqlite3.Connection`` methods the demo uses, with traced cursors."""

    def __init__(self, connection: Any, tracer: trace.Tracer, path: str) -> None:
        self._connection = connection
        self._tracer = tracer
        self._namespace = os.path.basename(path)

    def cursor(self) -> TracedCursor:
        return TracedCursor(self._connection.cursor(), self._tracer, self._namespace)

    def commit(self) -> None:
        self._connection.commit()

    def close(self) -> None:
        self._connection.close()
