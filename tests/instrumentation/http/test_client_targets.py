"""What the client instrumentations work out once per (method, URL) and reuse: span name,
start attributes, exclusion, the duration metric's attribute set per outcome."""

from __future__ import annotations

from typing import Any

import pytest

from otel.attributes import CheckedAttributes
from otel.instrumentation._http import HttpTelemetry, _client
from otel.instrumentation._http._client import (
    _MAX_CACHED_URL_CHARS,
    _MAX_OUTCOMES,
    _MAX_TARGETS,
    EXCLUDED,
    ClientRequest,
    ClientTarget,
)
from otel.instrumentation.requests import RequestsInstrumentor
from otel.testing import CapturedMetrics, CapturedSpans

from .conftest import peer


def _traced(telemetry: HttpTelemetry, method: object, url: str) -> ClientRequest:
    traced = ClientRequest.begin(telemetry, method, url)
    assert traced is not None
    return traced


def test_requests_to_one_method_and_url_share_one_target(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    first = _traced(telemetry, "GET", "http://u:p@example.com:8080/a?b=1")
    second = _traced(telemetry, "GET", "http://u:p@example.com:8080/a?b=1")
    for traced in (first, second):
        traced.response(200)
        traced.end()
    assert first.target is second.target
    assert len(telemetry.client_targets) == 1
    spans = capture_spans.spans
    assert [dict(span.attributes) for span in spans] == 2 * [
        {
            "http.request.method": "GET",
            "url.full": "http://REDACTED:REDACTED@example.com:8080/a?b=1",
            "server.address": "example.com",
            "server.port": 8080,
            "http.response.status_code": 200,
        }
    ]


def test_another_method_is_another_target(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    get = _traced(telemetry, "GET", "http://example.com/")
    odd = _traced(telemetry, "get", "http://example.com/")
    assert get.target is not odd.target
    assert odd.target.attributes["http.request.method_original"] == "get"


def test_the_target_cache_is_bounded(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    for number in range(_MAX_TARGETS + 40):
        traced = _traced(telemetry, "GET", f"http://example.com/items/{number}")
        traced.end()
    assert len(telemetry.client_targets) <= _MAX_TARGETS
    last = capture_spans.spans[-1]
    assert last.attributes["url.full"] == f"http://example.com/items/{_MAX_TARGETS + 39}"


def test_very_long_urls_are_traced_but_not_cached(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    url = "http://example.com/?q=" + "x" * _MAX_CACHED_URL_CHARS
    _traced(telemetry, "GET", url).end()
    assert telemetry.client_targets == {}
    assert capture_spans.spans[0].attributes["url.full"] == url


def test_an_unhashable_method_is_traced_uncached(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    _traced(telemetry, ["GET"], "http://example.com/").end()
    assert telemetry.client_targets == {}
    (span,) = capture_spans.spans
    assert span.name == "HTTP"
    assert span.attributes["http.request.method"] == "_OTHER"


def test_excluded_urls_stay_excluded_once_cached(capture_spans: CapturedSpans) -> None:
    telemetry = HttpTelemetry.for_client("test", {"excluded_urls": "health"})
    for _ in range(2):
        assert ClientRequest.begin(telemetry, "GET", "http://example.com/health") is None
    assert EXCLUDED in telemetry.client_targets.values()
    _traced(telemetry, "GET", "http://example.com/users").end()
    assert len(capture_spans.spans) == 1


def test_start_attributes_are_read_only() -> None:
    target = ClientTarget("GET", "http://example.com/", ("http", "example.com", 80))
    with pytest.raises(TypeError):
        target.attributes["url.full"] = "changed"  # type: ignore[index]


def test_outcome_attribute_sets_are_reused_and_their_table_is_bounded() -> None:
    target = ClientTarget("GET", "http://example.com/", ("http", "example.com", 80))
    ok = target.outcome(200, "1.1", None)
    assert target.outcome(200, "1.1", None) is ok
    assert ok == {
        "http.request.method": "GET",
        "server.address": "example.com",
        "server.port": 80,
        "url.scheme": "http",
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
    }
    assert target.outcome(0, None, "ConnectionError") == {
        "http.request.method": "GET",
        "server.address": "example.com",
        "server.port": 80,
        "url.scheme": "http",
        "error.type": "ConnectionError",
    }
    for code in range(300, 300 + 2 * _MAX_OUTCOMES):
        assert target.outcome(code, None, None)["http.response.status_code"] == code
    assert len(target.outcomes) <= _MAX_OUTCOMES


def test_targets_of_one_server_share_their_metric_attribute_sets() -> None:
    # the metric streams find a CheckedAttributes' series by identity: a target built
    # anew (another URL, or after the target cache was emptied) hands over the same object
    parts = ("http", "example.com", 80)
    first = ClientTarget("GET", "http://example.com/users/1", parts)
    second = ClientTarget("GET", "http://example.com/users/2", parts)
    ok = first.outcome(200, "1.1", None)
    assert isinstance(ok, CheckedAttributes)
    assert second.outcome(200, "1.1", None) is ok
    assert second.outcome(404, "1.1", "404") is not ok


def test_past_the_shared_sets_bound_metric_attributes_are_plain_dicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_client, "_MAX_METRIC_SETS", 0)
    monkeypatch.setattr(_client, "_metric_sets", {})
    target = ClientTarget("GET", "http://example.com/", ("http", "example.com", 80))
    outcome = target.outcome(200, "1.1", None)
    assert type(outcome) is dict and outcome["http.response.status_code"] == 200


def test_duration_metric_has_one_series_per_outcome(capture_metrics: CapturedMetrics) -> None:
    requests = peer("requests")
    from requests.adapters import BaseAdapter

    class Answer(BaseAdapter):  # type: ignore[misc]
        def send(self, request: Any, **kwargs: Any) -> Any:
            response = requests.Response()
            response.status_code = 404 if request.url.endswith("/missing") else 200
            response._content = b""
            response.request = request
            response.url = request.url
            return response  # no urllib3 response below: no protocol version

        def close(self) -> None:
            pass

    RequestsInstrumentor().instrument()
    session = requests.Session()
    session.mount("http://adapter.test/", Answer())
    for path in ("/a", "/a", "/missing"):
        session.get(f"http://adapter.test{path}")
    points = capture_metrics.points("http.client.request.duration")
    by_code = {point.attributes["http.response.status_code"]: point for point in points}
    assert sorted(by_code) == [200, 404]
    assert by_code[200].count == 2
    assert "error.type" not in by_code[200].attributes
    assert by_code[404].attributes["error.type"] == "404"
    assert "network.protocol.version" not in by_code[404].attributes


def test_response_attribute_sets_are_reused_and_their_table_is_bounded() -> None:
    target = ClientTarget("GET", "http://example.com/", ("http", "example.com", 80))
    ok = target.response_attributes((200, "1.1", None))
    assert target.responses[(200, "1.1", None)] is ok  # kept for the next response
    assert list(ok.items()) == [
        ("network.protocol.version", "1.1"),
        ("http.response.status_code", 200),
    ]
    assert dict(target.response_attributes((404, None, "404"))) == {
        "http.response.status_code": 404,
        "error.type": "404",
    }
    for code in range(300, 300 + 2 * _MAX_OUTCOMES):
        assert target.response_attributes((code, None, None))["http.response.status_code"] == code
    assert len(target.responses) <= _MAX_OUTCOMES


def test_a_client_error_response_sets_its_attributes_and_error_status(
    capture_spans: CapturedSpans,
) -> None:
    telemetry = HttpTelemetry.for_client("test", {})
    for _ in range(2):  # built, then reused
        traced = _traced(telemetry, "GET", "http://example.com/missing")
        traced.response(404, None, "1.1")
        traced.end()
    for span in capture_spans.spans:
        attributes = dict(span.attributes or {})
        assert attributes["http.response.status_code"] == 404
        assert attributes["network.protocol.version"] == "1.1"
        assert attributes["error.type"] == "404"
        assert span.status.status_code.name == "ERROR"
