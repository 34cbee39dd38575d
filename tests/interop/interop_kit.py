"""Shared by the interop tests: a trace recorded through any span exporter, and the check
that it came back intact from a peer (decoded with opentelemetry-proto)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from otlp_peers import Receiver

from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor, SpanExporter
from otel.trace import SpanKind, Status, StatusCode

RESOURCE = Resource.create({"service.name": "collector-interop", "deployment.environment": "t"})


def wait_for(predicate: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the Collector did not forward the data in time")
        time.sleep(0.05)


def otlp_receiver_config(http_port: int, grpc_port: int) -> dict[str, Any]:
    return {
        "otlp": {
            "protocols": {
                "http": {"endpoint": f"127.0.0.1:{http_port}"},
                "grpc": {"endpoint": f"127.0.0.1:{grpc_port}"},
            }
        }
    }


def forwarded_spans(receiver: Receiver) -> dict[str, Any]:
    spans = {}
    for message in receiver.messages():
        for resource_spans in getattr(message, "resource_spans", []):
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    spans[span.name] = (resource_spans.resource, scope_spans.scope, span)
    return spans


def record_trace(exporter: SpanExporter) -> tuple[int, int, int]:
    """Export a parent and a child span through ``exporter``; return their ids."""
    provider = TracerProvider(resource=RESOURCE)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("interop.scope", "1.2.3")
    with tracer.start_as_current_span("parent", kind=SpanKind.SERVER) as parent:
        parent.set_attributes({"s": "v", "i": 7, "f": 1.5, "b": True, "arr": [1, 2]})
        with tracer.start_as_current_span("child", kind=SpanKind.CLIENT) as child:
            child.add_event("evt", {"k": "v"})
            child.set_status(Status(StatusCode.ERROR, "boom"))
    provider.shutdown()
    context = parent.get_span_context()
    return context.trace_id, context.span_id, child.get_span_context().span_id


def check_trace(
    receiver: Receiver,
    ids: tuple[int, int, int],
    *,
    typed: bool = True,
    scope_in_tags: bool = False,
    arrays_as_json: bool = False,
    event_as_annotation: bool = False,
    description_in_error_tag: bool = False,
) -> None:
    """The trace of :func:`record_trace` came back intact. Per the spec's mappings:
    ``typed=False`` where attribute values travel as strings (Zipkin tags),
    ``arrays_as_json`` where arrays become JSON strings (Jaeger tags),
    ``event_as_annotation`` where an event becomes an annotation ``"name": {attributes}``
    (Zipkin), ``description_in_error_tag`` where the status description travels as the
    ``error`` tag (Zipkin: the Collector keeps that tag as an attribute); ``scope_in_tags``
    where the peer leaves the spec's ``otel.scope.*`` tags as attributes (the Collector's
    Jaeger Thrift path)."""
    trace_id, parent_id, child_id = ids
    wait_for(lambda: {"parent", "child"} <= set(forwarded_spans(receiver)))
    spans = forwarded_spans(receiver)
    resource, scope, parent = spans["parent"]
    _, _, child = spans["child"]
    attributes = {kv.key: kv.value for kv in resource.attributes}
    assert attributes["service.name"].string_value == "collector-interop"
    if scope_in_tags:
        tags = {kv.key: kv.value.string_value for kv in parent.attributes}
        scope_seen = (tags["otel.scope.name"], tags["otel.scope.version"])
    else:
        scope_seen = (scope.name, scope.version)
    assert scope_seen == ("interop.scope", "1.2.3")
    assert int.from_bytes(parent.trace_id, "big") == trace_id
    assert int.from_bytes(parent.span_id, "big") == parent_id
    assert int.from_bytes(child.span_id, "big") == child_id
    assert child.parent_span_id == parent.span_id
    assert parent.kind == 2 and child.kind == 3  # SERVER, CLIENT
    values = {kv.key: kv.value for kv in parent.attributes}
    assert values["s"].string_value == "v"
    if typed:
        assert values["i"].int_value == 7
        assert values["f"].double_value == 1.5
        assert values["b"].bool_value is True
    else:
        assert (values["i"].string_value, values["b"].string_value) == ("7", "true")
    if arrays_as_json or not typed:
        assert json.loads(values["arr"].string_value) == [1, 2]
    else:
        assert [v.int_value for v in values["arr"].array_value.values] == [1, 2]
    if event_as_annotation:
        (event,) = child.events
        assert json.loads("{" + event.name + "}") == {"evt": {"k": "v"}}
    else:
        assert [e.name for e in child.events] == ["evt"]
    assert child.status.code == 2, child.status
    if description_in_error_tag:
        tags = {kv.key: kv.value.string_value for kv in child.attributes}
        assert tags["error"] == "boom"
    else:
        assert child.status.message == "boom", child.status
    assert child.end_time_unix_nano >= child.start_time_unix_nano > 0
