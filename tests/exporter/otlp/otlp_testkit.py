"""Stand-ins with the data-model contract's attribute names, for encoder tests.

They let the encoders be tested without the SDK; the end-to-end tests use the real SDK.
"""

from __future__ import annotations

import enum
from types import SimpleNamespace
from typing import Any

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
SPAN_ID = 0xB7AD6B7169203331
PARENT_ID = 0x00F067AA0BA902B7


class SpanKind(enum.Enum):
    INTERNAL = 0
    SERVER = 1
    CLIENT = 2
    PRODUCER = 3
    CONSUMER = 4


class StatusCode(enum.Enum):
    UNSET = 0
    OK = 1
    ERROR = 2


class TraceState(dict[str, str]):
    def to_header(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.items())


def scope(name: str = "lib", version: str | None = "1.2", **kw: Any) -> SimpleNamespace:
    return SimpleNamespace(
        name=name,
        version=version,
        schema_url=kw.get("schema_url"),
        attributes=kw.get("attributes", {}),
    )


def resource(attributes: dict[str, Any] | None = None, schema_url: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        attributes=attributes if attributes is not None else {"service.name": "svc"},
        schema_url=schema_url,
    )


def context(
    trace_id: int = TRACE_ID,
    span_id: int = SPAN_ID,
    is_remote: bool = False,
    trace_flags: int = 1,
    trace_state: TraceState | None = None,
) -> SimpleNamespace:
    return SimpleNamespace(
        trace_id=trace_id,
        span_id=span_id,
        is_remote=is_remote,
        trace_flags=trace_flags,
        trace_state=trace_state if trace_state is not None else TraceState(),
        is_valid=True,
    )


def event(name: str = "ev", timestamp: int = 1_700_000_000_500_000_000, **kw: Any) -> Any:
    return SimpleNamespace(
        name=name,
        timestamp=timestamp,
        attributes=kw.get("attributes", {}),
        dropped_attributes=kw.get("dropped_attributes", 0),
    )


def link(ctx: Any = None, **kw: Any) -> Any:
    return SimpleNamespace(
        context=ctx if ctx is not None else context(span_id=0x1111, is_remote=True),
        attributes=kw.get("attributes", {}),
        dropped_attributes=kw.get("dropped_attributes", 0),
    )


def status(code: StatusCode = StatusCode.UNSET, description: str | None = None) -> Any:
    return SimpleNamespace(status_code=code, description=description)


def span(**kw: Any) -> Any:
    values: dict[str, Any] = {
        "name": "op",
        "context": context(),
        "parent": None,
        "kind": SpanKind.INTERNAL,
        "start_time": 1_700_000_000_000_000_000,
        "end_time": 1_700_000_001_000_000_000,
        "attributes": {},
        "events": (),
        "links": (),
        "status": status(),
        "resource": RESOURCE,
        "instrumentation_scope": SCOPE,
        "dropped_attributes": 0,
        "dropped_events": 0,
        "dropped_links": 0,
    }
    values.update(kw)
    return SimpleNamespace(**values)


RESOURCE = resource()
SCOPE = scope()
