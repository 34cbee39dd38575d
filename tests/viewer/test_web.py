"""The UI port: static files, single-page-app fallback, security headers, live events."""

from __future__ import annotations

import http.client
import json

import pytest
from viewer_kit import Client
from viewer_protos import TRACE_ID, trace_request

pytestmark = pytest.mark.interop


def test_root_serves_index_html_with_security_headers(client: Client) -> None:
    status, headers, body = client.request("ui", "GET", "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert b"<html" in body.lower()


def test_unknown_paths_fall_back_to_index_html(client: Client) -> None:
    index = client.request("ui", "GET", "/")[2]
    status, _, body = client.request("ui", "GET", "/trace/" + TRACE_ID.hex())
    assert (status, body) == (200, index)


def test_path_traversal_never_leaves_the_static_directory(client: Client) -> None:
    index = client.request("ui", "GET", "/")[2]
    status, _, body = client.request("ui", "GET", "/../../_app.py")
    assert (status, body) == (200, index)


def test_api_answers_carry_security_headers(client: Client) -> None:
    _, headers, _ = client.request("ui", "GET", "/api/services")
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"


def test_live_stream_sends_a_trace_event_when_a_trace_arrives(client: Client) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", client.viewer.ports["ui"], timeout=10)
    conn.request("GET", "/api/live")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "text/event-stream"
    assert resp.fp.readline() == b": connected\n"
    resp.fp.readline()
    assert client.post_otlp("traces", trace_request().SerializeToString())[0] == 200
    event = resp.fp.readline()
    data = resp.fp.readline()
    resp.close()
    conn.close()
    assert event == b"event: trace\n"
    summary = json.loads(data[len(b"data: ") :])
    assert (summary["trace_id"], summary["span_count"]) == (TRACE_ID.hex(), 2)
