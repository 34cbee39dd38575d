"""Our own test vectors, taken from the text of the W3C specifications (issue 19.5).

W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/): the ``traceparent``
and ``tracestate`` examples and grammar rules of sections 3.2 and 3.3. W3C Baggage
(https://www.w3.org/TR/baggage/): the header examples of section 3. These run in every
suite run; the W3C validation harness itself is not (see docs/propagation.md).
"""

from __future__ import annotations

import pytest

from otel import baggage
from otel.baggage.propagation import W3CBaggagePropagator
from otel.trace import get_current_span
from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACE = TraceContextTextMapPropagator()
BAGGAGE = W3CBaggagePropagator()
# the traceparent of the specification's examples
PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _extract(traceparent: str, tracestate: str | None = None) -> tuple[int, int, int, str]:
    carrier = {"traceparent": traceparent}
    if tracestate is not None:
        carrier["tracestate"] = tracestate
    context = get_current_span(TRACE.extract(carrier)).get_span_context()
    return (
        context.trace_id,
        context.span_id,
        int(context.trace_flags),
        context.trace_state.to_header(),
    )


@pytest.mark.parametrize(
    ("traceparent", "sampled"),
    [
        # 3.2 "Examples of HTTP traceparent Headers"
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", True),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", False),
    ],
)
def test_traceparent_examples_of_the_specification(traceparent: str, sampled: bool) -> None:
    trace_id, span_id, flags, _ = _extract(traceparent)
    assert trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    assert span_id == 0x00F067AA0BA902B7
    assert bool(flags & 1) is sampled


def test_random_trace_id_flag_of_level_2_is_read() -> None:
    # 3.2.2.5 trace-flags: bit 1 (0x02) is the random-trace-id flag in Level 2
    _, _, flags, _ = _extract("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")
    assert flags == 3


@pytest.mark.parametrize(
    "traceparent",
    [
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace-id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # all-zero parent-id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # hex must be lowercase
    ],
)
def test_traceparents_the_specification_declares_invalid_are_ignored(traceparent: str) -> None:
    assert _extract(traceparent)[:2] == (0, 0)


def test_a_higher_version_is_read_for_the_fields_this_version_knows() -> None:
    # 3.2.4 "Versioning of traceparent": parse the first four fields of a higher version
    trace_id, span_id, _, _ = _extract(f"cc{PARENT[2:]}-what-the-future-will-be-like")
    assert (trace_id, span_id) == (0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7)


@pytest.mark.parametrize(
    ("tracestate", "kept"),
    [
        # 3.3.1.3 examples of list members, in order
        ("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
        ("congo=t61rcWkgMzE", "congo=t61rcWkgMzE"),
        # multi-tenant key: tenant-id "@" system-id
        ("fw529a3039@dt=value", "fw529a3039@dt=value"),
        # optional whitespace (OWS) around list members is not part of them
        ("rojo=1 ,  congo=2", "rojo=1,congo=2"),
        # empty list members are allowed and ignored
        ("rojo=1,,congo=2", "rojo=1,congo=2"),
        # a value may contain spaces inside, not "=" or ","
        ("rojo=a b", "rojo=a b"),
    ],
)
def test_tracestate_members_the_specification_allows(tracestate: str, kept: str) -> None:
    assert _extract(PARENT, tracestate)[3] == kept


@pytest.mark.parametrize(
    "tracestate",
    [
        "Rojo=1",  # keys start with a lowercase letter (or digit for a tenant id)
        "t61rcWkgMzE@congo=1",  # tenant id: lowercase letters and digits only
        "rojo=a=b",  # "=" is not a value character
        "a" * 257 + "=1",  # simple keys are at most 256 characters
        ",".join(f"k{i}=v" for i in range(33)),  # at most 32 list members
    ],
)
def test_tracestate_the_specification_declares_invalid_is_dropped(tracestate: str) -> None:
    trace_id, _, _, state = _extract(PARENT, tracestate)
    assert trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736  # the traceparent still counts
    assert state == ""


def test_baggage_example_of_the_specification_is_decoded() -> None:
    # W3C Baggage, 3.3 "Example": percent-encoded values are decoded
    context = BAGGAGE.extract({"baggage": "userId=alice,serverNode=DF%2028,isProduction=false"})
    assert dict(baggage.get_all(context)) == {
        "userId": "alice",
        "serverNode": "DF 28",
        "isProduction": "false",
    }


def test_baggage_properties_and_whitespace_of_the_specification_example() -> None:
    header = (
        "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"
    )
    context = BAGGAGE.extract({"baggage": header})
    assert dict(baggage.get_all(context)) == {"key1": "value1", "key2": "value2", "key3": "value3"}
    assert baggage.get_baggage_metadata("key1", context) == "property1;property2"
    assert baggage.get_baggage_metadata("key3", context) == "propertyKey=propertyValue"
