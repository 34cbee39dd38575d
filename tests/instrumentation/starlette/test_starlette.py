"""StarletteInstrumentor: apps get the ASGI middleware without changing their class."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from otel.instrumentation.starlette import StarletteInstrumentor
from otel.testing import CapturedSpans
from otel.trace import SpanKind


async def user(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.path_params["name"])


def _get(app: Any, path: str) -> str:
    """One GET through the ASGI interface (no HTTP client needed)."""
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()


def _app() -> Starlette:
    return Starlette(routes=[Route("/users/{name}", user)])


def test_instrument_wraps_every_app_in_a_server_span(spans: CapturedSpans) -> None:
    StarletteInstrumentor().instrument()
    try:
        app = _app()
        assert type(app) is Starlette
        assert _get(app, "/users/ada") == "ada"
    finally:
        StarletteInstrumentor().uninstrument()
    (span,) = [span for span in spans.spans if span.kind is SpanKind.SERVER]
    assert span.name == "GET /users/{name}"


def test_uninstrument_restores_plain_apps(spans: CapturedSpans) -> None:
    StarletteInstrumentor().instrument()
    StarletteInstrumentor().uninstrument()
    _get(_app(), "/users/ada")
    assert spans.spans == []


def test_instrument_app_traces_one_app(spans: CapturedSpans) -> None:
    app = _app()
    StarletteInstrumentor.instrument_app(app)
    StarletteInstrumentor.instrument_app(app)  # twice: still one span per request
    _get(app, "/users/bob")
    assert [span.kind for span in spans.spans].count(SpanKind.SERVER) == 1


def test_subclass_with_its_own_stack_builder_is_traced_like_fastapi(spans: CapturedSpans) -> None:
    StarletteInstrumentor().instrument()
    try:

        class OwnStack(Starlette):  # FastAPI overrides build_middleware_stack this way
            def build_middleware_stack(self) -> Any:
                return super().build_middleware_stack()

        app = OwnStack(routes=[Route("/users/{name}", user)])
        assert _get(app, "/users/eve") == "eve"
    finally:
        StarletteInstrumentor().uninstrument()
    assert [span.kind for span in spans.spans].count(SpanKind.SERVER) == 1
    assert "__init_subclass__" not in Starlette.__dict__
