"""The JSON query API over both stores: shapes, filters, validation, 404s."""

from __future__ import annotations

import json
import time

import pytest
from viewer_kit import Client
from viewer_protos import CHILD_ID, ROOT_ID, TRACE_ID, logs_request, metrics_request, trace_request

pytestmark = pytest.mark.interop
T = TRACE_ID.hex()


@pytest.fixture
def loaded(client: Client) -> Client:
    now = time.time_ns()
    for i in range(3):
        trace_id = TRACE_ID if i == 0 else bytes([i + 40]) * 16
        req = trace_request(
            trace_id=trace_id,
            start_ns=now - (3 - i) * 1_000_000_000,
            child_service="db" if i == 0 else None,
        )
        assert client.post_otlp("traces", req.SerializeToString())[0] == 200
    assert client.post_otlp("logs", logs_request().SerializeToString())[0] == 200
    assert client.post_otlp("metrics", metrics_request().SerializeToString())[0] == 200
    return client


def test_services_lists_every_service(loaded: Client) -> None:
    assert loaded.ok("/api/services") == {"services": ["db", "frontend"]}


def test_trace_search_returns_summaries_newest_first(loaded: Client) -> None:
    traces = loaded.ok("/api/traces")["traces"]
    assert [t["trace_id"] for t in traces][-1] == T
    first = traces[-1]
    assert first == {
        "trace_id": T,
        "root_service": "frontend",
        "root_name": "GET /users",
        "services": ["db", "frontend"],
        "span_count": 2,
        "error_count": 1,
        "start_unix_nano": first["start_unix_nano"],
        "duration_nano": 50_000_000,
    }


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("service=db", 1),
        ("service=frontend", 3),
        ("service=nobody", 0),
        ("span_name=SELECT%20users", 3),
        ("attr=http.method=GET", 3),
        ("attr=http.status_code=200&attr=ok=true", 3),
        ("attr=http.method=POST", 0),
        ("min_duration_ms=30", 3),
        ("min_duration_ms=30&span_name=SELECT%20users", 0),
        ("max_duration_ms=25&service=frontend", 2),
        ("errors=true", 3),
        ("limit=2", 2),
    ],
)
def test_trace_search_filters(loaded: Client, query: str, count: int) -> None:
    assert len(loaded.ok(f"/api/traces?{query}")["traces"]) == count


def test_trace_search_by_time_range(loaded: Client) -> None:
    traces = loaded.ok("/api/traces")["traces"]
    newest_ms = traces[0]["start_unix_nano"] // 1_000_000
    assert len(loaded.ok(f"/api/traces?since={newest_ms}")["traces"]) == 1
    assert len(loaded.ok(f"/api/traces?until={newest_ms - 1}")["traces"]) == 2


def test_get_trace_returns_spans_intact(loaded: Client) -> None:
    trace = loaded.ok(f"/api/traces/{T.upper()}")
    assert trace["trace_id"] == T
    root, child = trace["spans"]
    assert (root["span_id"], root["parent_span_id"], root["kind"]) == (
        ROOT_ID.hex(),
        None,
        "SERVER",
    )
    assert (child["span_id"], child["parent_span_id"], child["kind"]) == (
        CHILD_ID.hex(),
        ROOT_ID.hex(),
        "CLIENT",
    )
    assert child["service"] == "db"
    assert root["status"] == {"code": "OK", "message": ""}
    assert child["status"] == {"code": "ERROR", "message": "boom"}
    assert root["attributes"]["http.status_code"] == 200
    assert root["attributes"]["tags"] == ["a", "b"]
    assert child["events"] == [
        {
            "name": "exception",
            "time_unix_nano": child["start_unix_nano"] + 1_000_000,
            "attributes": {"exception.type": "ValueError"},
        }
    ]
    assert child["links"][0]["attributes"] == {"link.kind": "follows"}
    assert root["resource"] == {"attributes": {"service.name": "frontend", "host.name": "h1"}}
    assert root["scope"] == {"name": "my.lib", "version": "1.2.3"}
    assert (root["flags"], child["dropped_attributes_count"]) == (0x301, 2)


def test_unknown_trace_is_404(client: Client) -> None:
    status, obj = client.api("/api/traces/" + "ab" * 16)
    assert status == 404 and "not found" in obj["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/traces/xyz",
        "/api/traces?limit=0",
        "/api/traces?limit=abc",
        "/api/traces?min_duration_ms=-1",
        "/api/traces?errors=maybe",
        "/api/traces?attr=novalue",
        "/api/logs?trace_id=123",
        "/api/logs?severity_min=99",
    ],
)
def test_bad_parameters_get_400_with_a_reason(client: Client, path: str) -> None:
    status, obj = client.api(path)
    assert status == 400 and obj["error"]


def test_logs_newest_first_with_trace_context(loaded: Client) -> None:
    logs = loaded.ok("/api/logs")["logs"]
    assert [r["severity_text"] for r in logs] == ["ERROR", "INFO"]
    first = logs[0]
    assert (first["body"], first["trace_id"], first["span_id"]) == (
        "user 7 not found",
        T,
        ROOT_ID.hex(),
    )
    assert (first["service"], first["attributes"]) == ("frontend", {"user.id": 7})
    assert logs[1]["body"] == {"event": "login", "ok": True}
    assert logs[1]["trace_id"] is None


@pytest.mark.parametrize(
    ("query", "count"),
    [
        (f"trace_id={T}", 1),
        ("severity_min=17", 1),
        ("q=LOGIN", 1),
        ("service=db", 0),
        (f"span_id={ROOT_ID.hex()}", 1),
    ],
)
def test_log_filters(loaded: Client, query: str, count: int) -> None:
    assert len(loaded.ok(f"/api/logs?{query}")["logs"]) == count


def test_metric_list(loaded: Client) -> None:
    metrics = {m["name"]: m for m in loaded.ok("/api/metrics")["metrics"]}
    assert metrics["requests"] == {
        "name": "requests",
        "type": "sum",
        "unit": "1",
        "description": "requests served",
        "services": ["frontend"],
        "is_monotonic": True,
        "temporality": "cumulative",
    }
    assert metrics["temperature"]["type"] == "gauge"
    assert metrics["size"]["type"] == "exponential_histogram"
    assert metrics["size"]["temporality"] == "delta"
    assert metrics["rpc.duration.summary"]["type"] == "summary"


def test_sum_series_has_values_and_rates(loaded: Client) -> None:
    answer = loaded.ok("/api/metrics/requests")
    (series,) = answer["series"]
    assert series["attributes"] == {"route": "/users"}
    assert [p["value"] for p in series["points"]] == [10, 30]
    assert [p["rate"] for p in series["points"]] == [None, 20.0]


def test_histogram_series_has_percentiles(loaded: Client) -> None:
    (series,) = loaded.ok("/api/metrics/latency?attr=route=/users")["series"]
    (point,) = series["points"]
    assert (point["count"], point["sum"], point["bounds"]) == (100, 2500.0, [10.0, 20.0, 50.0])
    assert point["bucket_counts"] == [10, 40, 40, 10]
    assert 10.0 <= point["p50"] <= 20.0
    assert 20.0 <= point["p90"] <= 50.0
    assert 50.0 <= point["p99"] <= 90.0


def test_exponential_histogram_has_percentiles(loaded: Client) -> None:
    (series,) = loaded.ok("/api/metrics/size")["series"]
    point = series["points"][0]
    # scale 1: base sqrt(2); positive buckets from offset 2 cover (2, 2.83], (2.83, 4], (4, 5.66]
    assert 2.0 <= point["p50"] <= 4.0
    assert 4.0 <= point["p99"] <= 5.66


def test_unknown_metric_is_404(client: Client) -> None:
    assert client.api("/api/metrics/nope")[0] == 404


def test_dependencies_count_calls_and_errors(loaded: Client) -> None:
    assert loaded.ok("/api/dependencies") == {
        "edges": [{"parent": "frontend", "child": "db", "call_count": 1, "error_count": 1}]
    }


def test_export_returns_otlp_json_that_imports_back(loaded: Client) -> None:
    status, headers, body = loaded.request("ui", "GET", f"/api/traces/{T}/export")
    assert status == 200 and "attachment" in headers["content-disposition"]
    exported = json.loads(body)
    spans = [s for rs in exported["resourceSpans"] for ss in rs["scopeSpans"] for s in ss["spans"]]
    assert {s["spanId"] for s in spans} == {ROOT_ID.hex(), CHILD_ID.hex()}
    from viewer_protos import json_format, pb_trace  # the reference parser reads it

    assert exported["resourceSpans"][0]["resource"]["attributes"][0]["key"] == "service.name"
    assert pb_trace is not None and json_format is not None


def test_import_reads_one_request_per_line(client: Client) -> None:
    from viewer_protos import to_json

    lines = b"\n".join(
        [to_json(trace_request()), to_json(logs_request()), to_json(metrics_request())]
    )
    status, _, body = client.request(
        "ui", "POST", "/api/import", lines, {"Content-Type": "application/json"}
    )
    assert status == 200
    assert json.loads(body) == {"spans": 2, "metric_points": 6, "logs": 2}
    assert len(client.ok(f"/api/traces/{T}")["spans"]) == 2


def test_import_of_garbage_is_400_and_stores_nothing(client: Client) -> None:
    status, _, body = client.request("ui", "POST", "/api/import", b'{"resourceSpans": 5}\nnope')
    assert status == 400 and json.loads(body)["error"]
    assert client.ok("/api/traces")["traces"] == []


def test_unknown_api_path_is_404_json(client: Client) -> None:
    status, obj = client.api("/api/nothing")
    assert status == 404 and obj["error"]


@pytest.mark.parametrize("query", ["attr=http.method=GET", "service=db&attr=db.system=sqlite"])
def test_common_attributes_are_checked_span_by_span(
    loaded: Client, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otel.viewer._store import _sqlite_query

    expected = loaded.ok(f"/api/traces?{query}")["traces"]
    monkeypatch.setattr(_sqlite_query, "_RARE_ATTRIBUTE_BLOCKS", 0)  # no attribute is "rare"
    assert loaded.ok(f"/api/traces?{query}")["traces"] == expected
    assert expected
