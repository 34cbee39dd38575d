"""Flask on the WSGI middleware, under werkzeug's real server."""

from __future__ import annotations

from typing import Any

import pytest

from _support.refcount import serve_and_check_freed
from otel.instrumentation.flask import FlaskInstrumentor
from otel.testing import CapturedMetrics, CapturedSpans
from otel.trace import SpanKind, StatusCode

from .conftest import peer, wait_spans


@pytest.fixture
def flask() -> Any:
    return peer("flask")


@pytest.fixture
def requests() -> Any:
    return peer("requests")


def make_app(flask: Any) -> Any:
    app = flask.Flask("test_app")

    @app.route("/users/<id>")
    def user(id: str) -> str:
        return f"user {id}"

    @app.route("/boom")
    def boom() -> str:
        raise ValueError("kaput")

    @app.route("/health")
    def health() -> str:
        return "ok"

    return app


def test_span_is_named_from_the_route_template(
    flask: Any, requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    base = serve(app)
    assert requests.get(f"{base}/users/42", timeout=10).text == "user 42"
    (span,) = wait_spans(capture_spans, 1)
    assert span.name == "GET /users/<id>"
    assert span.kind is SpanKind.SERVER
    assert span.attributes["http.route"] == "/users/<id>"
    assert span.attributes["url.path"] == "/users/42"
    assert span.attributes["http.response.status_code"] == 200
    assert span.instrumentation_scope.name == "otel.instrumentation.flask"


def test_unmatched_path_is_named_by_method_alone(
    flask: Any, requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    base = serve(app)
    assert requests.get(f"{base}/no/such/page", timeout=10).status_code == 404
    (span,) = wait_spans(capture_spans, 1)
    assert span.name == "GET"
    assert "http.route" not in span.attributes
    assert span.status.status_code is StatusCode.UNSET


def test_view_exception_is_recorded_with_a_500(
    flask: Any, requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    base = serve(app)
    assert requests.get(f"{base}/boom", timeout=10).status_code == 500
    (span,) = wait_spans(capture_spans, 1)
    assert span.name == "GET /boom"
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "ValueError"
    assert span.attributes["http.response.status_code"] == 500
    (event,) = span.events
    assert event.attributes["exception.type"] == "ValueError"


def test_route_is_on_the_duration_metric(
    flask: Any, capture_metrics: CapturedMetrics, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    app.test_client().get("/users/1").close()
    (point,) = capture_metrics.points("http.server.request.duration")
    assert point.attributes["http.route"] == "/users/<id>"
    assert point.attributes["http.response.status_code"] == 200


def test_excluded_urls_argument(flask: Any, capture_spans: CapturedSpans) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app, excluded_urls="health")
    client = app.test_client()
    client.get("/health").close()
    client.get("/users/1").close()
    assert capture_spans.names() == ["GET /users/<id>"]


def test_excluded_urls_from_the_flask_variable(
    flask: Any, capture_spans: CapturedSpans, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_FLASK_EXCLUDED_URLS", "users")
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    client = app.test_client()
    client.get("/users/1").close()
    client.get("/health").close()
    assert capture_spans.names() == ["GET /health"]


def test_hooks_receive_official_arguments(flask: Any, capture_spans: CapturedSpans) -> None:
    seen: list[Any] = []
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(
        app,
        request_hook=lambda span, environ: seen.append(environ["PATH_INFO"]),
        response_hook=lambda span, status, headers: seen.append(status),
    )
    app.test_client().get("/health").close()
    assert seen == ["/health", "200 OK"]


def test_raising_hooks_never_change_the_response(flask: Any, capture_spans: CapturedSpans) -> None:
    def bad(*args: Any) -> None:
        raise RuntimeError("hook bug")

    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app, request_hook=bad, response_hook=bad)
    response = app.test_client().get("/users/3")
    assert (response.status_code, response.text) == (200, "user 3")


def test_uninstrument_app_restores_the_app(flask: Any, capture_spans: CapturedSpans) -> None:
    app = make_app(flask)
    original = app.wsgi_app
    FlaskInstrumentor().instrument_app(app)
    FlaskInstrumentor().instrument_app(app)  # twice: still one middleware
    FlaskInstrumentor.uninstrument_app(app)
    assert app.wsgi_app == original
    app.test_client().get("/health").close()
    assert capture_spans.spans == []


def test_global_instrument_traces_apps_created_afterwards(
    flask: Any, capture_spans: CapturedSpans
) -> None:
    FlaskInstrumentor().instrument()
    try:
        app = make_app(flask)
        app.test_client().get("/users/9").close()
    finally:
        FlaskInstrumentor().uninstrument()
    assert capture_spans.names() == ["GET /users/<id>"]
    later = make_app(flask)
    later.test_client().get("/users/9").close()
    assert len(capture_spans.spans) == 1


def test_exporter_failure_never_changes_a_response(
    flask: Any, requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    from otel.sdk.trace.export import SimpleSpanProcessor, SpanExporter

    class Failing(SpanExporter):
        def export(self, spans: Any) -> Any:
            raise RuntimeError("backend down")

        def shutdown(self) -> None:
            pass

    # Exports synchronously on the request thread, at the end of every request.
    capture_spans.provider.add_span_processor(SimpleSpanProcessor(Failing()))
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    base = serve(app)
    for _ in range(3):
        answer = requests.get(f"{base}/users/5", timeout=10)
        assert (answer.status_code, answer.text) == (200, "user 5")
    assert len(wait_spans(capture_spans, 3)) == 3


def test_instrumented_app_adds_no_callbacks_to_flask_request_handling(flask: Any) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    assert app.before_request_funcs.get(None, []) == []
    assert app.teardown_request_funcs.get(None, []) == []


def test_route_is_reported_when_a_before_request_callback_answers(
    flask: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    app.before_request(lambda: "short-circuited")
    FlaskInstrumentor().instrument_app(app)
    response = app.test_client().get("/users/7")
    response.close()
    assert response.text == "short-circuited"
    assert capture_spans.names() == ["GET /users/<id>"]


def test_uninstrument_app_stops_noting_requests_and_exceptions(
    flask: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    FlaskInstrumentor.uninstrument_app(app)
    assert "request_context" not in vars(app)
    assert app.test_client().get("/boom").status_code == 500
    assert capture_spans.spans == []


def test_exception_of_one_app_is_not_recorded_on_another(
    flask: Any, capture_spans: CapturedSpans
) -> None:
    traced, untraced = make_app(flask), make_app(flask)
    FlaskInstrumentor().instrument_app(traced)
    assert untraced.test_client().get("/boom").status_code == 500
    response = traced.test_client().get("/users/1")
    response.close()
    assert response.status_code == 200
    (span,) = capture_spans.spans
    assert span.status.status_code is StatusCode.UNSET
    assert span.events == ()


def test_finished_request_leaves_its_environ_to_reference_counting(
    flask: Any, capture_spans: CapturedSpans
) -> None:
    app = make_app(flask)
    FlaskInstrumentor().instrument_app(app)
    # neither otel nor the noted request may keep a cycle
    assert serve_and_check_freed(app, "/users/5") == (b"user 5", True)
    assert capture_spans.names() == ["GET /users/<id>"]
