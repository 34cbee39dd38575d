"""Zipkin v2 JSON written straight from SDK spans (``_json``): edge values, strict JSON,
the Zipkin v2 API definition, and the same spans as the independent protobuf path."""

from __future__ import annotations

import enum
import json
import math
from types import SimpleNamespace
from typing import Any

import idl
import pytest
import sdk_spans

from otel.exporter._transport import RecordingTransport
from otel.exporter.zipkin.json import ZipkinExporter as JsonExporter
from otel.exporter.zipkin.proto.http import ZipkinExporter as ProtoExporter
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace import SpanKind, Status, StatusCode


def _strict(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key written twice: {keys}"
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise AssertionError(f"{name} is not JSON")


def _body(spans: Any, validator: Any, **kw: Any) -> bytes:
    transport = RecordingTransport()
    JsonExporter(_transport=transport, **kw).export(spans)
    (body,) = transport.bodies
    validator.validate(_decode(body))
    return body  # type: ignore[no-any-return]


def _decode(body: bytes) -> Any:
    text = body.decode("utf-8")  # strict: the body is UTF-8
    return json.loads(text, object_pairs_hook=_strict, parse_constant=_no_constant)


def _spans(
    resource: Resource | None = None, status: Status | None = None, **span_kw: Any
) -> list[Any]:
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=resource) if resource else TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    span = provider.get_tracer("edge.lib", "0.1").start_span("op", **span_kw)
    if status is not None:
        span.set_status(status)
    span.end()
    return list(memory.get_finished_spans())


def test_control_characters_and_non_ascii_round_trip(validator: Any) -> None:
    text = 'tab\there "q" \\ nl\n bell\x07 nul\x00 é 中文 \U0001f600 \u2028'
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": text}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer(text, text).start_as_current_span(text) as span:
        span.set_attribute(text, text)
        span.add_event(text, {text: text})
        span.add_event(text)
    (decoded,) = _decode(_body(memory.get_finished_spans(), validator))
    assert decoded["name"] == text
    assert decoded["localEndpoint"]["serviceName"] == text
    assert decoded["tags"][text] == text
    assert decoded["tags"]["otel.scope.name"] == text
    assert decoded["tags"]["otel.scope.version"] == text
    with_attributes, bare = decoded["annotations"]
    assert with_attributes["value"] == json.dumps(text, ensure_ascii=False) + ": " + json.dumps(
        {text: text}, ensure_ascii=False
    )
    assert bare["value"] == text


def test_non_ascii_is_sent_as_utf8_not_escaped(validator: Any) -> None:
    body = _body(_spans(attributes={"city": "Zürich"}), validator)
    assert "Zürich".encode() in body


def test_a_lone_surrogate_becomes_a_question_mark(validator: Any) -> None:
    (decoded,) = _decode(_body(_spans(attributes={"bad": "a\ud800b"}), validator))
    assert decoded["tags"]["bad"] == "a?b"


def test_arrays_become_json_lists(validator: Any) -> None:
    attributes = {
        "strs": ("a", 'q"uote', "é"),
        "ints": [1, -2],
        "bools": [True, False],
        "floats": [0.5, 2.0],
        "empty": [],
    }
    (decoded,) = _decode(_body(_spans(attributes=attributes), validator))
    tags = decoded["tags"]
    assert json.loads(tags["strs"]) == ["a", 'q"uote', "é"]
    assert tags["ints"] == "[1, -2]"
    assert tags["bools"] == "[true, false]"
    assert tags["floats"] == "[0.5, 2.0]"
    assert tags["empty"] == "[]"


def test_nan_and_infinity_stay_inside_strings(validator: Any) -> None:
    attributes = {"nan": math.nan, "inf": math.inf, "ninf": -math.inf, "list": [math.nan]}
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer("t").start_as_current_span("op", attributes=attributes) as span:
        span.add_event("measured", {"value": math.inf})
    (decoded,) = _decode(_body(memory.get_finished_spans(), validator))  # strict JSON
    tags = decoded["tags"]
    assert (tags["nan"], tags["inf"], tags["ninf"]) == ("nan", "inf", "-inf")
    assert tags["list"] == "[NaN]"
    assert decoded["annotations"][0]["value"] == '"measured": {"value": Infinity}'


@pytest.mark.parametrize("resource", [Resource({}), Resource.get_empty()])
def test_an_empty_resource_is_the_unknown_service(resource: Resource, validator: Any) -> None:
    (decoded,) = _decode(_body(_spans(resource), validator))
    assert decoded["localEndpoint"] == {"serviceName": "unknown_service"}


def test_a_span_without_scope_or_tags_has_no_tags_field(validator: Any) -> None:
    span = sdk_spans.many_spans(1, {})[0]
    bare = SimpleNamespace(**{name: getattr(span, name) for name in _PUBLIC})
    bare.instrumentation_scope = None
    (decoded,) = _decode(_body([bare], validator))
    assert "tags" not in decoded
    bare.status = Status(StatusCode.OK)
    (decoded,) = _decode(_body([bare], validator))
    assert decoded["tags"] == {"otel.status_code": "OK"}
    bare.attributes = {"a": "b"}
    bare.dropped_links = 2
    (decoded,) = _decode(_body([bare], validator))
    assert decoded["tags"] == {"a": "b", "otel.status_code": "OK", "otel.dropped_links_count": "2"}


def test_attributes_named_like_mapped_tags_are_written_once(validator: Any) -> None:
    attributes = {
        "otel.status_code": "mine",
        "otel.scope.name": "mine",
        "error": "mine",
        "otel.dropped_links_count": "mine",
        "plain": "x",
    }
    ok = _spans(attributes=attributes)
    error = _spans(status=Status(StatusCode.ERROR, "boom"), attributes=attributes)
    (ok_span, error_span) = _decode(_body(ok + error, validator))  # no key twice
    assert ok_span["tags"]["otel.scope.name"] == "edge.lib"
    assert ok_span["tags"]["otel.status_code"] == "mine"  # unset status: the attribute stays
    assert "error" not in ok_span["tags"]
    assert error_span["tags"]["otel.status_code"] == "ERROR"
    assert error_span["tags"]["error"] == "boom"
    assert error_span["tags"]["plain"] == "x"


def test_memoised_tags_keep_true_and_one_apart(validator: Any) -> None:
    spans = _spans(attributes={"flag": 1}) + _spans(attributes={"flag": True})
    spans += _spans(attributes={"flag": 1.0}) + _spans(attributes={"flag": "1"})
    decoded = _decode(_body(spans, validator))
    assert [s["tags"]["flag"] for s in decoded] == ["1", "true", "1.0", "1"]


def test_max_tag_value_length_is_not_bypassed_by_memoised_tags(validator: Any) -> None:
    spans = _spans(attributes={"method": "DELETE", "code": 404})
    _body(spans, validator)  # memoises the full fragments
    (decoded,) = _decode(_body(spans, validator, max_tag_value_length=2))
    assert (decoded["tags"]["method"], decoded["tags"]["code"]) == ("DE", "40")


def test_interleaved_resources_and_scopes_keep_their_own_endpoint_and_tags(
    validator: Any,
) -> None:
    memory = InMemorySpanExporter()
    providers = [
        TracerProvider(resource=Resource.create({"service.name": name})) for name in ("a", "b")
    ]
    for provider in providers:
        provider.add_span_processor(SimpleSpanProcessor(memory))
    tracers = [p.get_tracer(scope) for p in providers for scope in ("s1", "s2")]
    for i in range(8):
        tracer = tracers[i % 4]
        tracer.start_span(f"op-{i}").end()
    decoded = _decode(_body(memory.get_finished_spans(), validator))
    services = [s["localEndpoint"]["serviceName"] for s in decoded]
    scopes = [s["tags"]["otel.scope.name"] for s in decoded]
    assert services == ["a", "a", "b", "b"] * 2
    assert scopes == ["s1", "s2"] * 4


_PUBLIC = (
    "name",
    "context",
    "parent",
    "kind",
    "start_time",
    "end_time",
    "attributes",
    "events",
    "status",
    "resource",
    "instrumentation_scope",
    "dropped_attributes",
    "dropped_events",
    "dropped_links",
)


def _public_view(span: Any) -> Any:
    """The span as another SDK would give it: only the public names, plain objects."""
    view = SimpleNamespace(**{name: getattr(span, name) for name in _PUBLIC})
    view.attributes = dict(span.attributes)
    view.events = [
        SimpleNamespace(name=e.name, timestamp=e.timestamp, attributes=dict(e.attributes))
        for e in span.events
    ]
    return view


def test_spans_of_another_sdk_encode_as_otels_own(validator: Any) -> None:
    spans = sdk_spans.full_spans()
    assert _body([_public_view(s) for s in spans], validator) == _body(spans, validator)


def test_kind_and_status_of_another_sdks_enums_are_mapped_by_name(validator: Any) -> None:
    foreign_kind = enum.Enum("SpanKind", "INTERNAL SERVER CLIENT PRODUCER CONSUMER")
    foreign_code = enum.Enum("StatusCode", "UNSET OK ERROR")
    spans = sdk_spans.full_spans()
    views = [_public_view(s) for s in spans]
    for view in views:
        view.kind = foreign_kind[view.kind.name]
        code = foreign_code[view.status.status_code.name]
        view.status = SimpleNamespace(status_code=code, description=view.status.description)
    assert _body(views, validator) == _body(spans, validator)


def test_json_and_protobuf_agree_on_edge_spans(validator: Any) -> None:
    list_of_spans = idl.zipkin_messages()
    attributes = {
        "text": "é\n\x01",
        "list": ["x", 1],
        "nan": math.nan,
        "error": "attribute",
        "peer.service": "billing",
    }
    spans = [
        *sdk_spans.full_spans(),
        *_spans(attributes=attributes, kind=SpanKind.CLIENT),
        *_spans(Resource.get_empty(), attributes={"a": True}, kind=SpanKind.PRODUCER),
    ]
    as_json = _decode(_body(spans, validator))
    transport = RecordingTransport()
    ProtoExporter(_transport=transport).export(spans)
    as_proto = list_of_spans.FromString(transport.bodies[0]).spans
    kinds = {0: None, 1: "CLIENT", 2: "SERVER", 3: "PRODUCER", 4: "CONSUMER"}
    for j, p in zip(as_json, as_proto, strict=True):
        assert (j["traceId"], j["id"]) == (p.trace_id.hex(), p.id.hex())
        assert j.get("parentId") == (p.parent_id.hex() or None)
        assert (j["name"], j.get("kind")) == (p.name, kinds[p.kind])
        assert (j["timestamp"], j["duration"]) == (p.timestamp, p.duration)
        assert j["localEndpoint"]["serviceName"] == p.local_endpoint.service_name
        remote = j.get("remoteEndpoint", {})
        assert remote.get("serviceName", "") == p.remote_endpoint.service_name
        assert j.get("tags", {}) == dict(p.tags)
        assert [(a["timestamp"], a["value"]) for a in j.get("annotations", [])] == [
            (a.timestamp, a.value) for a in p.annotations
        ]
        assert j.get("shared", False) == p.shared


def test_protobuf_tags_memoised_across_exports_stay_exact() -> None:
    list_of_spans = idl.zipkin_messages()
    long_value = "v" * 100  # too long to memoise
    attributes = {"method": "GET", "long": long_value, "code": 200, "flag": True}
    bodies = []
    for _ in range(2):
        transport = RecordingTransport()
        ProtoExporter(_transport=transport).export(_spans(attributes=attributes))
        bodies.append(transport.bodies[0])
    for body in bodies:
        (span,) = list_of_spans.FromString(body).spans
        assert dict(span.tags) == {
            "method": "GET",
            "long": long_value,
            "code": "200",
            "flag": "true",
            "otel.scope.name": "edge.lib",
            "otel.scope.version": "0.1",
        }


def test_the_memos_stay_bounded_and_long_names_are_exact(validator: Any) -> None:
    from otel.exporter.zipkin import _json

    long_key = "k" * 1000
    spans = [_spans(attributes={f"key-{i}-{j}": f"v{j}" for j in range(100)})[0] for i in range(50)]
    _body(spans, validator)
    assert len(_json._STR_TAGS) <= _json._MEMO_MAX
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer("t").start_as_current_span("op", attributes={long_key: "v"}) as span:
        span.add_event(long_key, {long_key: "x"})
    (decoded,) = _decode(_body(memory.get_finished_spans(), validator))
    assert decoded["tags"][long_key] == "v"
    assert decoded["annotations"][0]["value"] == f'"{long_key}": {{"{long_key}": "x"}}'
    assert long_key not in _json._EVENT_HEADS and long_key not in _json._EVENT_KEYS
