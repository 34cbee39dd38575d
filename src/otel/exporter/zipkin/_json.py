"""SDK spans straight to Zipkin v2 JSON text (``application/json``), the mapping of
``_translate`` without its intermediate ``ZipkinSpan`` objects.

One list of text fragments per batch, joined once: the ``localEndpoint`` of a resource and
the scope tags are built once per batch; ``"key":"value"`` tag fragments of short recurring
attributes are memoised (bounded); otel's own spans and events are read through their slots
(the public properties copy), any other span through ``_translate.PublicSpan`` (its public
properties, same output); strings go through CPython's C JSON escaper, which
escapes control characters and keeps other non-ASCII characters as they are (the body is
UTF-8; a lone surrogate becomes ``?``). A span whose attributes use a name the mapping
writes itself (``error``, ``otel.status_code``, ``otel.scope.*``, ``otel.dropped_*``) takes
``_translate``'s general path, so no key is written twice.

Pure functions; thread-safe (the memos are dicts, written whole fragments at a time).
An unmappable span raises; the exporter then drops it alone.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable, Sequence
from typing import Any

from otel.exporter.zipkin import _translate
from otel.exporter.zipkin._translate import Endpoint
from otel.trace import SpanKind, StatusCode

_q = json.encoder.encode_basestring  # C: a str as a JSON string literal


_KINDS = (SpanKind.CLIENT, SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER)
# keyed by id(): an Enum's __hash__ is Python code, id() is not
_KIND_TEXT = {id(kind): f',"kind":"{kind.name}"' for kind in _KINDS}
_KIND_TEXT[id(SpanKind.INTERNAL)] = ""
_SERVER = ',"kind":"SERVER"'
_WITH_REMOTE = frozenset({',"kind":"CLIENT"', ',"kind":"PRODUCER"'})
_UNSET, _OK, _ERROR = StatusCode.UNSET, StatusCode.OK, StatusCode.ERROR
_STATUS_OK = ',"otel.status_code":"OK"'
_STATUS_ERROR = ',"otel.status_code":"ERROR","error":'

# attribute names the mapping writes itself: such a span takes the general path
_RESERVED = frozenset(
    {
        "error",
        "otel.status_code",
        "otel.scope.name",
        "otel.scope.version",
        "otel.dropped_attributes_count",
        "otel.dropped_events_count",
        "otel.dropped_links_count",
    }
)

# ',"key":"value"' of recurring short attributes, by type (True == 1: never mixed), bounded
_STR_TAGS: dict[tuple[str, str], str] = {}
_INT_TAGS: dict[tuple[str, int], str] = {}
_MEMO_MAX = 4096
_MEMO_VALUE_MAX = 64
_MEMO_KEY_MAX = 128  # so a memo holds at most _MEMO_MAX short texts


def endpoint_json(endpoint: Endpoint) -> str:
    """One ``Endpoint`` as JSON text (absent fields omitted)."""
    fields = []
    if endpoint.service_name:
        fields.append(f'"serviceName":{_q(endpoint.service_name)}')
    if endpoint.ipv4:
        fields.append(f'"ipv4":{_q(endpoint.ipv4)}')
    if endpoint.ipv6:
        fields.append(f'"ipv6":{_q(endpoint.ipv6)}')
    if endpoint.port:
        fields.append(f'"port":{int(endpoint.port)}')
    return "{" + ",".join(fields) + "}"


def _tag(key: str, value: Any, max_length: int | None) -> str:
    """',"key":"value"', memoised when short and recurring-looking (str or int values)."""
    text = ",%s:%s" % (_q(key), _q(_translate.tag_value(value, max_length)))  # noqa: UP031
    if max_length is None and len(key) <= _MEMO_KEY_MAX:
        t = type(value)
        if t is str and len(value) <= _MEMO_VALUE_MAX:
            if len(_STR_TAGS) >= _MEMO_MAX:
                _STR_TAGS.clear()
            _STR_TAGS[key, value] = text
        elif t is int:
            if len(_INT_TAGS) >= _MEMO_MAX:
                _INT_TAGS.clear()
            _INT_TAGS[key, value] = text
    return text


def _pairs(tags: Any) -> str:
    """'"key":"value",...' of (key, value) string pairs (never memoised: reserved names)."""
    return ",".join([f"{_q(key)}:{_q(value)}" for key, value in tags])


def _scope_text(scope: Any) -> str:
    """'"otel.scope.name":...,"otel.scope.version":...' (no leading comma), or ''."""
    return "" if scope is None else _pairs(_translate.scope_tags(scope))


def _general_tags(span: Any, max_length: int | None) -> str:
    """All tags of a span through ``_translate`` (attributes with reserved names)."""
    tags = _translate.tags_of(span.attributes, _translate.extra_tags(span), max_length)
    return _pairs(tags.items())


# the escaped JSON text of event names ('{"value":"\\"name\\": {') and attribute keys
# ('\\"key\\": '), bounded: an annotation's value is JSON text inside a JSON string
_EVENT_HEADS: dict[str, str] = {}
_EVENT_KEYS: dict[str, str] = {}


def _escaped(text: str) -> str:
    """``text`` as it reads inside a JSON string literal (without the quotes)."""
    return _q(text)[1:-1]


def _memo(memo: dict[str, str], key: str, text: str) -> str:
    if len(key) > _MEMO_KEY_MAX:
        return text
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = text
    return text


def _annotation(event: Any) -> str:
    """One event as an annotation: the value is the name, or '"name": {attributes as
    JSON}' (as ``_translate.annotations_of`` writes it)."""
    name, timestamp, attributes = event.name, event.timestamp, event.attributes
    timestamp //= 1000
    if attributes:
        head = _EVENT_HEADS.get(name)
        if head is None:
            head = _memo(_EVENT_HEADS, name, '{"value":"' + _escaped(_q(str(name)) + ": {"))
        fields = []
        for key, value in attributes.items():
            if type(value) is not str:
                text = _q(str(name)) + ": " + _translate.dict_json(attributes)
                return '{"value":%s,"timestamp":%d}' % (_q(text), timestamp)  # noqa: UP031
            escaped_key = _EVENT_KEYS.get(key)
            if escaped_key is None:
                escaped_key = _memo(_EVENT_KEYS, key, _escaped(_q(key) + ": "))
            fields.append(escaped_key + _q(_q(value))[1:-1])
        return '%s%s}","timestamp":%d}' % (head, ", ".join(fields), timestamp)  # noqa: UP031
    return '{"value":%s,"timestamp":%d}' % (_q(str(name)), timestamp)  # noqa: UP031


def encode_spans(
    spans: Sequence[Any],
    local_endpoint_of: Callable[[Any], Endpoint],
    max_length: int | None = None,
) -> bytes:
    """SDK spans as a JSON list of Zipkin v2 spans, UTF-8.

    ``local_endpoint_of(resource)`` gives a resource's ``localEndpoint``; ``max_length``
    truncates tag values.
    """
    parts = ["["]
    append = parts.append
    str_tags = _STR_TAGS
    int_tags = _INT_TAGS
    kind_texts = _KIND_TEXT
    memo = max_length is None
    locals_: dict[int, str] = {}
    scopes: dict[int, str] = {}
    last_settings: Any = None
    local = scope_text = ""
    separator = ""
    for given in spans:
        span = given if type(given) in _translate.SDK_SPANS else _translate.PublicSpan(given)
        (
            settings,
            context,
            parent,
            name,
            kind,
            start,
            end,
            attributes,
            events,
            status,
            dropped_attributes,
            dropped_events,
            dropped_links,
        ) = span._export_fields()
        if settings is not last_settings:  # one per tracer: resource and scope
            last_settings = settings
            resource = settings.resource
            local = locals_.get(id(resource))  # type: ignore[assignment]
            if local is None:
                local = locals_[id(resource)] = endpoint_json(local_endpoint_of(resource))
            scope = settings.instrumentation_scope
            scope_text = scopes.get(id(scope))  # type: ignore[assignment]
            if scope_text is None:
                scope_text = scopes[id(scope)] = _scope_text(scope)
        span_id = context[1]
        kind_text = kind_texts.get(id(kind))
        if kind_text is None:
            kind_name = _translate.kind_of(kind)
            kind_text = f',"kind":"{kind_name}"' if kind_name else ""
        start = start or 0
        end = end or start
        duration = (end - start) // 1000
        append(
            f'{separator}{{"traceId":"{context[0].to_bytes(16, "big").hex()}",'
            f'"id":"{span_id.to_bytes(8, "big").hex()}",'
            f'"name":{_q(name)},"timestamp":{start // 1000},'
            f'"duration":{duration if duration > 0 else 1},"localEndpoint":{local}{kind_text}'
        )
        separator = ","
        shared = False
        if parent is not None:
            if kind_text == _SERVER and parent[2] and parent[1] == span_id:
                shared = True
            else:
                append(',"parentId":"' + parent[1].to_bytes(8, "big").hex() + '"')
        if attributes and kind_text in _WITH_REMOTE:
            remote = _translate.remote_endpoint(attributes)
            if remote is not None:
                append(',"remoteEndpoint":' + endpoint_json(remote))
        if events:
            if len(events) == 1:
                append(',"annotations":[' + _annotation(events[0]) + "]")
            else:
                append(',"annotations":[' + ",".join([_annotation(e) for e in events]) + "]")
        # tags: scope (no leading comma), then ',"key":"value"' fragments
        opener = len(parts)
        append(',"tags":{' + scope_text)
        reserved = False
        if attributes:
            for key, value in attributes.items():
                t = type(value)
                if t is str and memo:
                    text = str_tags.get((key, value))
                elif t is int and memo:
                    text = int_tags.get((key, value))
                else:
                    text = None
                if text is None:
                    if key in _RESERVED:
                        reserved = True
                        break
                    text = _tag(key, value, max_length)
                append(text)
        if reserved:
            del parts[opener:]
            general = _general_tags(given, max_length)
            if general:
                append(',"tags":{' + general)
        else:
            code = status.status_code
            if code is not _UNSET:
                if code is not _ERROR and code is not _OK:  # another StatusCode enum
                    code = {"ERROR": _ERROR, "OK": _OK}.get(getattr(code, "name", ""))
                if code is _ERROR:
                    append(_STATUS_ERROR + _q(str(status.description or "")))
                elif code is _OK:
                    append(_STATUS_OK)
            if dropped_attributes or dropped_events or dropped_links:
                for key, count in (
                    ("otel.dropped_attributes_count", dropped_attributes),
                    ("otel.dropped_events_count", dropped_events),
                    ("otel.dropped_links_count", dropped_links),
                ):
                    if count:
                        append(f',"{key}":"{count}"')
            if not scope_text:  # the first fragment's leading comma goes
                if len(parts) == opener + 1:
                    del parts[opener]
                else:
                    parts[opener + 1] = parts[opener + 1][1:]
        if len(parts) > opener:
            append("}")
        append(',"shared":true}' if shared else "}")
    append("]")
    return "".join(parts).encode("utf-8", "replace")
