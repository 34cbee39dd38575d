"""Fuzzing ``otel view``'s receivers (issue 14 item 7): random, truncated and mutated
OTLP protobuf and JSON bodies, gzip bodies and Zipkin JSON, first through the decoders
(only ``DecodeError`` may come out: it becomes a 400), then through a running viewer (never
a 5xx, the server keeps answering). Jaeger Thrift datagrams are fuzzed in
tests/exporter/jaeger/test_thrift.py and, through the UDP port, below. Example counts
are small in the suite; ``scripts/fuzz.sh`` runs the same tests much longer (``OTEL_FUZZ=1``
selects the ``otel-fuzz`` profile of tests/conftest.py)."""

from __future__ import annotations

import gzip
import json
import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewer_kit import Client
from viewer_protos import logs_request, metrics_request, to_json, trace_request

from otel.exporter.otlp._proto._wire import DecodeError
from otel.testing import free_port
from otel.viewer import Viewer, start_viewer
from otel.viewer._receiver._otlp import SIGNALS, decode
from otel.viewer._receiver._zipkin import ZipkinDecoder

LONG_RUN = os.environ.get("OTEL_FUZZ") == "1"
fuzz = settings(
    max_examples=settings().max_examples if LONG_RUN else 60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VALID = {
    "traces": trace_request().SerializeToString(),
    "metrics": metrics_request().SerializeToString(),
    "logs": logs_request().SerializeToString(),
}
VALID_JSON = {name: to_json(message) for name, message in (
    ("traces", trace_request()), ("metrics", metrics_request()), ("logs", logs_request()),
)}  # fmt: skip
signals = st.sampled_from(sorted(SIGNALS))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)  # fmt: skip


def _mutate(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(data)
    for offset, patch in cuts:
        at = offset % (len(out) + 1)
        out[at : at + len(patch)] = patch
    return bytes(out)


mutations = st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)),
                     min_size=1, max_size=4)  # fmt: skip


def _decodes_or_refuses(signal: str, body: bytes, is_json: bool) -> None:
    try:
        decode(SIGNALS[signal], body, is_json)
    except DecodeError:
        pass  # a clear 400


@fuzz
@given(signal=signals, body=st.binary(max_size=512))
def test_random_protobuf_bodies_decode_or_raise_decode_error(signal: str, body: bytes) -> None:
    _decodes_or_refuses(signal, body, is_json=False)


@fuzz
@given(signal=signals, cut=st.integers(0, 10_000))
def test_truncated_protobuf_bodies_decode_or_raise_decode_error(signal: str, cut: int) -> None:
    valid = VALID[signal]
    _decodes_or_refuses(signal, valid[: cut % len(valid)], is_json=False)


@fuzz
@given(signal=signals, cuts=mutations)
def test_mutated_protobuf_bodies_decode_or_raise_decode_error(
    signal: str, cuts: list[tuple[int, bytes]]
) -> None:
    _decodes_or_refuses(signal, _mutate(VALID[signal], cuts), is_json=False)


@fuzz
@given(signal=signals, document=json_values)
def test_random_json_documents_decode_or_raise_decode_error(signal: str, document: Any) -> None:
    _decodes_or_refuses(signal, json.dumps(document).encode(), is_json=True)


@fuzz
@given(signal=signals, cuts=mutations)
def test_mutated_json_bodies_decode_or_raise_decode_error(
    signal: str, cuts: list[tuple[int, bytes]]
) -> None:
    _decodes_or_refuses(signal, _mutate(VALID_JSON[signal], cuts), is_json=True)


def _zipkin_body() -> bytes:
    now = time.time_ns() // 1000
    return json.dumps([{
        "traceId": "5af7183fb1d4cf5f5af7183fb1d4cf5f", "id": "00f067aa0ba902b7", "name": "op",
        "kind": "SERVER", "timestamp": now, "duration": 150,
        "localEndpoint": {"serviceName": "svc", "ipv4": "127.0.0.1", "port": 80},
        "tags": {"a": "b"}, "annotations": [{"timestamp": now, "value": "ping"}],
    }]).encode()  # fmt: skip


@fuzz
@given(document=json_values)
def test_random_zipkin_documents_decode_or_raise_decode_error(document: Any) -> None:
    try:
        ZipkinDecoder().request(json.dumps(document).encode())
    except DecodeError:
        pass


@fuzz
@given(cuts=mutations)
def test_mutated_zipkin_bodies_decode_or_raise_decode_error(cuts: list[tuple[int, bytes]]) -> None:
    try:
        ZipkinDecoder().request(_mutate(_zipkin_body(), cuts))
    except DecodeError:
        pass


# ------------------------------------------------------------------ through a running viewer


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Viewer]:
    viewer = start_viewer(
        ui_port=free_port(),
        otlp_http_port=free_port(),
        otlp_grpc_port=0,
        jaeger_udp_port=free_port("udp"),
        zipkin_port=free_port(),
        db=str(tmp_path_factory.mktemp("fuzz") / "v.db"),
    )
    try:
        yield viewer
    finally:
        viewer.stop()


def _still_serving(client: Client) -> None:
    status, _, _ = client.request("otlp_http", "POST", "/v1/traces", VALID["traces"],
                                  {"Content-Type": "application/x-protobuf"})  # fmt: skip
    assert status == 200
    assert client.api("/api/services")[0] == 200


bodies = st.one_of(
    st.binary(max_size=300),
    st.tuples(signals, mutations).map(lambda t: _mutate(VALID[t[0]], t[1])),
    st.tuples(signals, mutations).map(lambda t: _mutate(VALID_JSON[t[0]], t[1])),
)
content_types = st.sampled_from(
    ["application/x-protobuf", "application/json", "text/plain", "", "application/json; charset=x"]
)


@fuzz
@given(signal=signals, body=bodies, content_type=content_types, gzipped=st.sampled_from(
    ["no", "yes", "truncated", "claimed"]))  # fmt: skip
def test_otlp_http_port_never_answers_5xx_to_bad_bodies(
    running: Viewer, signal: str, body: bytes, content_type: str, gzipped: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    if gzipped != "no":
        headers["Content-Encoding"] = "gzip"
        if gzipped == "yes":
            body = gzip.compress(body)
        elif gzipped == "truncated":
            body = gzip.compress(body)[: max(1, len(body) // 2)]
    status, _, _ = Client(running).request("otlp_http", "POST", f"/v1/{signal}", body, headers)
    assert status < 500, status


@fuzz
@given(body=st.one_of(st.binary(max_size=300), mutations.map(lambda m: _mutate(_zipkin_body(), m))))
def test_zipkin_port_never_answers_5xx_to_bad_bodies(running: Viewer, body: bytes) -> None:
    status, _, _ = Client(running).request(
        "zipkin", "POST", "/api/v2/spans", body, {"Content-Type": "application/json"}
    )
    assert status < 500, status


def test_jaeger_udp_port_survives_random_datagrams_and_the_viewer_keeps_serving(
    running: Viewer,
) -> None:
    import random

    rng = random.Random(14)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _ in range(200):
            datagram = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
            sock.sendto(b"\x82\x81" + datagram, ("127.0.0.1", running.ports["jaeger_udp"]))
    _still_serving(Client(running))


def test_the_viewer_keeps_serving_after_the_fuzzing(running: Viewer) -> None:
    _still_serving(Client(running))
