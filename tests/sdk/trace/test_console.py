from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

from otel import trace
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, SpanExportResult

ROOT = Path(__file__).resolve().parents[3]
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
KEYS = [
    "name",
    "context",
    "kind",
    "parent_id",
    "start_time",
    "end_time",
    "status",
    "attributes",
    "events",
    "links",
    "resource",
]


def json_objects(text: str) -> list[dict]:  # type: ignore[type-arg]
    decoder = json.JSONDecoder()
    objects, index = [], 0
    while True:
        start = text.find("{", index)
        if start < 0:
            return objects
        obj, index = decoder.raw_decode(text, start)
        objects.append(obj)


def test_console_format_one_json_object_per_span() -> None:
    out = io.StringIO()
    provider = TracerProvider(
        resource=Resource({"service.name": "svc"}, "https://schema"), shutdown_on_exit=False
    )
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=out)))
    tracer = provider.get_tracer("t")
    link_ctx = trace.SpanContext(
        0xA, 0xB, True, trace.TraceFlags(1), trace.TraceState([("k", "v")])
    )
    with (
        tracer.start_as_current_span("parent"),
        tracer.start_as_current_span(
            "child", kind=trace.SpanKind.CLIENT, links=[trace.Link(link_ctx, {"l": 1})]
        ) as child,
    ):
        child.set_attribute("seq", [1, 2])
        child.add_event("ev", {"e": "x"}, timestamp=1_700_000_000_123_456_789)
        child.set_status(trace.StatusCode.ERROR, "bad")
    child_json, parent_json = json_objects(out.getvalue())
    assert list(child_json) == KEYS
    assert child_json["name"] == "child"
    assert child_json["kind"] == "SpanKind.CLIENT"
    assert parent_json["kind"] == "SpanKind.INTERNAL"
    assert child_json["context"] == {
        "trace_id": f"0x{child.context.trace_id:032x}",
        "span_id": f"0x{child.context.span_id:016x}",
        "trace_state": "[]",
    }
    assert child_json["parent_id"] == parent_json["context"]["span_id"]
    assert parent_json["parent_id"] is None
    assert ISO_Z.match(child_json["start_time"]) and ISO_Z.match(child_json["end_time"])
    assert child_json["status"] == {"status_code": "ERROR", "description": "bad"}
    assert parent_json["status"] == {"status_code": "UNSET"}
    assert child_json["attributes"] == {"seq": [1, 2]}
    assert child_json["events"] == [
        {"name": "ev", "timestamp": "2023-11-14T22:13:20.123456Z", "attributes": {"e": "x"}}
    ]
    assert child_json["links"] == [
        {
            "context": {
                "trace_id": f"0x{0xA:032x}",
                "span_id": f"0x{0xB:016x}",
                "trace_state": "[('k', 'v')]",
            },
            "attributes": {"l": 1},
        }
    ]
    assert child_json["resource"] == {
        "attributes": {"service.name": "svc"},
        "schema_url": "https://schema",
    }


def test_console_exporter_custom_formatter() -> None:
    out = io.StringIO()
    exporter = ConsoleSpanExporter(out=out, formatter=lambda span: span.name + "\n")
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.get_tracer("t").start_span("only-name").end()
    assert out.getvalue() == "only-name\n"


def test_console_exporter_failure_is_reported_not_raised() -> None:
    class Broken(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError("closed")

    exporter = ConsoleSpanExporter(out=Broken())
    provider = TracerProvider(shutdown_on_exit=False)
    span = provider.get_tracer("t").start_span("s")
    span.end()
    assert exporter.export([span]) is SpanExportResult.FAILURE


def test_tracing_example_prints_baz_bar_foo_chained() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "tracing_example.py")],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hello world from otel!")
    baz, bar, foo = json_objects(result.stdout)
    assert [baz["name"], bar["name"], foo["name"]] == ["baz", "bar", "foo"]
    assert len({s["context"]["trace_id"] for s in (baz, bar, foo)}) == 1
    assert baz["parent_id"] == bar["context"]["span_id"]
    assert bar["parent_id"] == foo["context"]["span_id"]
    assert foo["parent_id"] is None
    for span in (baz, bar, foo):
        assert list(span) == KEYS
        assert span["kind"] == "SpanKind.INTERNAL"
        assert re.fullmatch(r"0x[0-9a-f]{32}", span["context"]["trace_id"])
        assert re.fullmatch(r"0x[0-9a-f]{16}", span["context"]["span_id"])
        assert ISO_Z.match(span["start_time"]) and ISO_Z.match(span["end_time"])
        assert span["status"] == {"status_code": "UNSET"}
        assert span["resource"]["attributes"]["telemetry.sdk.language"] == "python"
    assert result.stderr == ""
