"""A tracer's resource can be replaced (a forked child's new service.instance.id)."""

from __future__ import annotations

from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider


def test_spans_started_after_a_resource_change_carry_the_new_resource() -> None:
    provider = TracerProvider(resource=Resource({"a": "old"}), shutdown_on_exit=False)
    tracer = provider.get_tracer("t")
    before = tracer.start_span("before")
    tracer.resource = Resource({"a": "new"})  # type: ignore[attr-defined]
    after = tracer.start_span("after")
    assert after.resource.attributes["a"] == "new"  # type: ignore[attr-defined]
    assert before.resource.attributes["a"] == "old"  # type: ignore[attr-defined]
    assert tracer.resource.attributes["a"] == "new"  # type: ignore[attr-defined]
