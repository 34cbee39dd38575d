"""``ExportTraceServiceRequest`` protobuf straight to store rows (``PreparedSpans``).

The receiver's hot path: no model ``Span`` per span. A scope's run of spans in the layout
every SDK writes is read by one ``re`` call (``_span_pattern.SPANS.findall``: per span its
length, ids, name, kind, times, the first attribute fields, the later ones, the status and
flags), each span's length checked against its bytes; where the run stops, that span is
read by one ``SPAN`` match (attributes of any length, the rest for ``_rest``) and the run
resumes after it. Each attribute field is looked up by its bytes in a memo
holding its key, JSON member text and search hash, so the span's attribute JSON is a join
of memoised pieces; the rest (a status code, flags, more attributes) is memoised too when
it holds no attributes. A span the pattern does not match is read field by field
(``_plain_row``); one with events, links, trace state, dropped counts, a status message,
repeated keys or values over the limits takes the model decoder (``decode_span``) and the
same limits as every receiver, so all ways store the same rows. Malformed bytes raise
``DecodeError``; a span with bad ids is rejected (partial success) like in
``decode_trace_request``. Pure; any thread (the memos are bounded dicts).
"""

from __future__ import annotations

import re
from operator import itemgetter

from otel.exporter.otlp._proto._decode_request import (
    Decoded,
    InvalidItem,
    _bytes,
    _id,
    _int,
    _text,
    decode_scope,
    decode_span,
    resource_groups,
)
from otel.exporter.otlp._proto._model import Resource, Scope, Span
from otel.exporter.otlp._proto._wire import (
    WIRE_FIXED32,
    WIRE_FIXED64,
    WIRE_LEN,
    WIRE_VARINT,
    DecodeError,
    iter_fields,
    length_delimited,
    read_varint,
    varint,
)
from otel.viewer._receiver import _members
from otel.viewer._receiver._limits import (
    INT64_MAX,
    MAX_ATTRIBUTES,
    item_problem,
)
from otel.viewer._receiver._members import Member, distinct, slot_members
from otel.viewer._receiver._span_pattern import LENGTHS, SMALL, SPAN, SPANS, TIMES
from otel.viewer._store._common import resource_key, scope_key, span_body
from otel.viewer._store._rows import (
    PreparedSpans,
    SpanGroup,
    SpanRow,
    span_row,
)

#: span fields (as key bytes) the plain path leaves to the model decoder
_NOT_PLAIN_LEN = frozenset((0x1A, 0x5A, 0x6A))  # trace_state, events, links
_NOT_PLAIN_VARINT = frozenset((10, 12, 14))  # dropped attributes/events/links counts
_unpack = int.from_bytes
#: Status messages with a code only, as encoders write them
_STATUS_CODES = {b"\x18\x00": 0, b"\x18\x01": 1, b"\x18\x02": 2}


def _plain_row(data: bytes, service: str) -> tuple[SpanRow, tuple[int, ...]] | None:
    """The row of a plain span, or None when the span needs the model decoder."""
    trace_id = span_id = b""
    parent: bytes | None = None
    name = ""
    kind = start = end_time = code = 0
    members: dict[str, str] = {}
    hashes: list[int] = []
    attributes = 0
    cache = _members.members
    pos = 0
    end = len(data)
    if data[:2] == b"\x0a\x10" and data[18:20] == b"\x12\x08" and end >= 28:
        # the usual layout (fields in number order: ids, parent, name, kind, start, end)
        # read without the loop; what follows, or anything unusual, goes through the loop
        trace_id = _id(data[2:18], 16, "trace_id")
        span_id = _id(data[20:28], 8, "span_id")
        pos = 28
        if data[28:30] == b"\x22\x08" and end >= 38:
            parent = _id(data[30:38], 8, "parent_span_id") or None
            pos = 38
        size = data[pos + 1] if data[pos : pos + 1] == b"\x2a" and pos + 1 < end else 0x80
        if size < 0x80 and pos + 2 + size <= end:
            name = _text(data[pos + 2 : pos + 2 + size])
            pos += 2 + size
            if data[pos : pos + 1] == b"\x30" and pos + 1 < end and data[pos + 1] < 0x80:
                kind = data[pos + 1]
                pos += 2
            if (
                data[pos : pos + 1] == b"\x39"
                and data[pos + 9 : pos + 10] == b"\x41"
                and pos + 18 <= end
            ):
                start = _unpack(data[pos + 1 : pos + 9], "little")
                end_time = _unpack(data[pos + 10 : pos + 18], "little")
                pos += 18
    while pos < end:
        key = data[pos]
        pos += 1
        if key == 0x4A:  # 9: attributes, most of a span's fields: the shortest path
            if pos < end and data[pos] < 0x80:
                size = data[pos]
                pos += 1
            else:
                size, pos = read_varint(data, pos)
            stop = pos + size
            if stop > end:
                raise DecodeError("truncated length-delimited field")
            value = data[pos:stop]
            pos = stop
            member = cache.get(value) or _members.member(value)
            if member is None:
                return None
            members[member[0]] = member[1]
            if member[2] is not None:
                hashes.append(member[2])
            attributes += 1
            continue
        if key & 0x80:
            key, pos = read_varint(data, pos - 1)
        wire = key & 7
        if wire == WIRE_LEN:
            size = data[pos] if pos < end else 0x80
            pos += 1
            if size & 0x80:
                size, pos = read_varint(data, pos - 1)
            stop = pos + size
            if stop > end:
                raise DecodeError("truncated length-delimited field")
            value = data[pos:stop]
            pos = stop
            if key == 0x0A:
                trace_id = _id(value, 16, "trace_id")
            elif key == 0x12:
                span_id = _id(value, 8, "span_id")
            elif key == 0x22:
                parent = _id(value, 8, "parent_span_id") or None
            elif key == 0x2A:
                name = _text(value)
            elif key == 0x7A:  # 15: status
                known = _STATUS_CODES.get(value)
                if known is not None:
                    code = known
                    continue
                for inner, _, field in iter_fields(value):
                    if inner == 2 and field != b"":
                        return None  # a message: stored in the body
                    if inner == 3:
                        code = _int(field)
            elif key in _NOT_PLAIN_LEN:
                return None
        elif wire == WIRE_FIXED64:
            if pos + 8 > end:
                raise DecodeError("truncated fixed64")
            if key == 0x39:
                start = _unpack(data[pos : pos + 8], "little")
            elif key == 0x41:
                end_time = _unpack(data[pos : pos + 8], "little")
            pos += 8
        elif wire == WIRE_VARINT:
            number, pos = read_varint(data, pos)
            field_number = key >> 3
            if field_number == 6:
                kind = number
            elif field_number in _NOT_PLAIN_VARINT and number:
                return None
        elif wire == WIRE_FIXED32:
            if pos + 4 > end:
                raise DecodeError("truncated fixed32")
            if key >> 3 == 16 and data[pos : pos + 4] != b"\0\0\0\0":
                return None  # flags: stored in the body
            pos += 4
        else:
            raise DecodeError(f"unsupported wire type {wire}")
        if key >> 3 == 0:
            raise DecodeError("field number 0")
    if not trace_id or not span_id:
        raise InvalidItem("span without a valid trace_id or span_id")
    if attributes != len(members) or attributes > MAX_ATTRIBUTES:
        return None  # a repeated key (the last value wins) or too many: the model path
    if start > INT64_MAX or end_time > INT64_MAX or kind > INT64_MAX or code > INT64_MAX:
        return None  # a number the store cannot hold: the model path rejects the span
    row = (
        trace_id,
        span_id,
        parent,
        service,
        name,
        kind,
        start,
        end_time,
        end_time - start if end_time > start else 0,
        code,
        "{" + ",".join(members.values()) + "}" if members else "",
        "",
    )
    return row, tuple(hashes)


class _Tally:
    """What a request's rejected spans add up to (partial success)."""

    __slots__ = ("decode_message", "limit_message", "rejected", "verdicts")

    def __init__(self) -> None:
        self.rejected = 0
        self.decode_message = ""
        self.limit_message = ""
        self.verdicts: dict[int, str | None] = {}  # item_problem's memo per resource


_NO_SCOPE = Scope()  # a span's row does not depend on its scope (its group holds it)


def _general_row(
    item: bytes,
    resource: Resource,
    service: str,
    problem: str | None,
    tally: _Tally,
    plain: bool = True,
) -> tuple[SpanRow, tuple[int, ...]] | None:
    """The row of a span ``SPAN`` does not read, or None when the span is rejected
    (``plain``: try ``_plain_row`` before the model decoder)."""
    try:
        row = _plain_row(item, service) if problem is None and plain else None
        if row is None:
            span = decode_span(item, resource, _NO_SCOPE)
            span_problem = problem or item_problem(span, tally.verdicts)
            if span_problem is not None:
                tally.rejected += 1
                tally.limit_message = tally.limit_message or span_problem
                return None
            row = span_row(span, service)
    except InvalidItem as exc:
        tally.rejected += 1
        tally.decode_message = tally.decode_message or str(exc)
        return None
    return row


def _flags_body(flags: int) -> str:
    """The stored body of a span whose only extra is ``flags``."""
    body = _flag_bodies.get(flags)
    if body is None:
        span = Span(Resource({}), _NO_SCOPE)
        span.flags = flags
        body = span_body(span)
        if len(_flag_bodies) < 4096:
            _flag_bodies[flags] = body
    return body


_flag_bodies: dict[int, str] = {0: ""}


def _rest(rest: bytes) -> tuple[list[Member], int, str] | None:
    """A ``SPAN`` match's last group: the attributes after the slots, the status code and
    the stored body (flags); None when the span needs the model decoder (another field, a
    status message, a value over the limit). Malformed bytes raise ``DecodeError``."""
    members: list[Member] = []
    code = flags = 0
    for number, wire, value in iter_fields(rest):
        if number == 9 and wire == WIRE_LEN:
            member = _members.members.get(value) or _members.member(value)  # type: ignore[arg-type]
            if member is None:
                return None
            members.append(member)
        elif number == 15 and wire == WIRE_LEN and (value == b"" or value in _STATUS_CODES):
            if value:  # an empty status (merged into an earlier one) changes nothing
                code = _STATUS_CODES[value]
        elif number == 16 and wire == WIRE_FIXED32:
            flags = value  # type: ignore[assignment]
        else:
            return None
    return members, code, _flags_body(flags)


def _tail(rest: bytes) -> tuple[list[Member], int, str] | None:
    """``_rest``, memoised when the rest holds no attributes (a status, flags: few kinds)."""
    found = _rest(rest)
    if found is not None and not found[0] and len(_tails) < 1024:
        _tails[rest] = found
    return found


_tails: dict[bytes, tuple[list[Member], int, str]] = {b"": ([], 0, "")}


def _scope_rows(
    group: bytes, resource: Resource, service: str, problem: str | None, tally: _Tally
) -> tuple[bytes, str, list[SpanRow], list[tuple[int, ...]]]:
    """A ``ScopeSpans`` message: its scope bytes and schema url, its spans' rows and hashes."""
    rows: list[SpanRow] = []
    hashes: list[tuple[int, ...]] = []
    append_row = rows.append
    append_hashes = hashes.append
    findall = SPANS.findall
    match = SPAN.match
    lengths = LENGTHS
    names = _names
    small = SMALL
    memo = _members.fields.__getitem__
    tails = _tails
    known_distinct = _members.distinct_keys
    scope = b""
    schema_url = ""
    before = tally.rejected, tally.decode_message, tally.limit_message
    # SPANS reads spans from any position after this one (not where it just stopped; never
    # when every span must take the model path because the resource is over the limits)
    one_by_one = -1 if problem is None else len(group)
    pos = 0
    end = len(group)
    while pos < end:
        key = group[pos]
        if key == 0x12 and pos > one_by_one:  # spans: as many as SPANS reads from here
            found = findall(group, pos)
            after = -1  # where the group goes on: known once the spans are counted
        else:
            if key & 0x80 or key & 7 != WIRE_LEN or key < 8:  # rare: start again on a copy
                tally.rejected, tally.decode_message, tally.limit_message = before
                return _scope_rows(_canonical(group), resource, service, problem, tally)
            size = group[pos + 1] if pos + 1 < end else 0x80
            if size < 0x80:
                pos += 2
            elif pos + 2 < end and group[pos + 2] < 0x80:
                size = (size & 0x7F) | group[pos + 2] << 7
                pos += 3
            else:
                size, pos = read_varint(group, pos + 1)
            stop = pos + size
            if stop > end:
                raise DecodeError("truncated length-delimited field")
            if key != 0x12:  # 1: the scope, 3: its schema url, others are skipped
                if key == 0x0A:
                    scope = group[pos:stop]
                elif key == 0x1A:
                    schema_url = _text(group[pos:stop])
                pos = stop
                continue
            # a span SPANS stopped at: one SPAN match (attributes of any length after the
            # slots, anything after them for ``_rest``), else the general way
            m = match(group, pos, stop) if problem is None else None
            if m is None:
                row = _general_row(group[pos:stop], resource, service, problem, tally)
                if row is not None:
                    append_row(row[0])
                    append_hashes(row[1])
                pos = stop
                continue
            found = [_as_found(m)]
            after = stop
        for t in found:
            (ln, item, tid, sid, parent, name, kind, times,
             first, _2, _3, _4, _5, _6, _7, _8, more, tail, _) = t  # fmt: skip
            try:
                if lengths[ln] != len(item):
                    break  # not a span of the usual layout (or not a span)
            except KeyError:  # 3 length bytes or more: a span one SPAN match read whole
                pass
            rest = tails.get(tail) or _tail(tail) if not more else _tail(more + tail)
            if rest is None:  # another field, a status message, a value over the limit
                _add_general(item, resource, service, tally, rows, hashes)
                continue
            span_hashes: tuple[int | None, ...] = ()
            attrs = ""
            if first or rest[0]:
                try:
                    members: list[Member] | None = list(map(memo, filter(None, t[8:16])))
                except KeyError:  # an attribute not memoised yet
                    members = slot_members(t[8:16])
                if members is not None and rest[0]:
                    members += rest[0]
                if members is not None and len(members) <= MAX_ATTRIBUTES:
                    # members are 3-tuples: ``strict=True`` would cost a keyword call per span
                    keys, texts, span_hashes = zip(*members)  # noqa: B905
                    if keys in known_distinct or distinct(keys):  # else a repeated key: model path
                        attrs = "{" + ",".join(texts) + "}"
                        if None in span_hashes:
                            span_hashes = tuple(h for h in span_hashes if h is not None)
                if not attrs:
                    _add_general(item, resource, service, tally, rows, hashes)
                    continue
            text = names.get(name)
            if text is None:
                text = _name(name)
            start, end_time = TIMES(times)
            append_row(
                (
                    tid,
                    sid,
                    parent or None,
                    service,
                    text,
                    small[kind],
                    start,
                    end_time,
                    end_time - start if end_time > start else 0,
                    rest[1],
                    attrs,
                    rest[2],
                )
            )
            append_hashes(span_hashes)  # type: ignore[arg-type]
        else:
            if after < 0:
                break  # the group ends with its spans
            pos = after
            continue
        # SPANS stopped at ``t``: what follows is read on its own (SPANS would stop there again)
        read = found[: found.index(t)]
        pos += len(read) + sum(map(len, map(_first, read))) + sum(map(len, map(_second, read)))
        one_by_one = pos
    return scope, schema_url, rows, hashes


_first = itemgetter(0)
_second = itemgetter(1)


def _as_found(m: re.Match[bytes]) -> tuple[bytes, ...]:
    """A ``SPAN`` match as the tuple ``SPANS.findall`` gives a span (everything after the
    slots as the attributes after them, for ``_rest``)."""
    item = m[0]
    return (varint(len(item)), item, *m.groups(b""), b"", b"")


def _add_general(
    item: bytes,
    resource: Resource,
    service: str,
    tally: _Tally,
    rows: list[SpanRow],
    hashes: list[tuple[int, ...]],
) -> None:
    """Append the row ``_general_row`` gives a matched span that needs the model decoder."""
    row = _general_row(item, resource, service, None, tally, False)
    if row is not None:
        rows.append(row[0])
        hashes.append(row[1])


def _name(field: bytes | None) -> str:
    """A ``SPAN`` match's name field (length byte + UTF-8) as text, memoised."""
    if field is None:
        return ""
    text = _text(field[1:])
    if len(_names) >= 4096:
        _names.clear()
        _names[None] = _names[b""] = ""
    _names[field] = text
    return text


_names: dict[bytes | None, str] = {None: "", b"": ""}


def _canonical(group: bytes) -> bytes:
    """A ``ScopeSpans`` message with its fields in the usual shape (one scope first, the
    spans, the schema url last; unknown fields dropped) for the one-pass walk."""
    scope = b""
    schema_url = b""
    spans: list[bytes] = []
    for number, _, value in iter_fields(group):
        if number == 1:
            scope = _bytes(value)
        elif number == 2:
            spans.append(_bytes(value))
        elif number == 3:
            _text(value)
            schema_url = _bytes(value)
    parts = [length_delimited(b"\x0a", scope)]
    parts.extend(length_delimited(b"\x12", span) for span in spans)
    parts.append(length_delimited(b"\x1a", schema_url))
    return b"".join(parts)


def decode_trace_rows(data: bytes) -> Decoded:
    """``ExportTraceServiceRequest`` bytes -> ``Decoded`` whose items are ``PreparedSpans``,
    with the receivers' item limits applied (``apply_limits`` is not needed after it)."""
    prepared = PreparedSpans()
    tally = _Tally()
    for resource, scope_groups in resource_groups(data):
        service = resource.service
        problem = item_problem(_Bare(resource), tally.verdicts)
        for group in scope_groups:
            scope, schema_url, rows, hashes = _scope_rows(group, resource, service, problem, tally)
            scope_text = scope_key(decode_scope(scope, schema_url))
            if rows:
                prepared.add_group(
                    SpanGroup(resource_key(resource), service, scope_text, rows, hashes)
                )
    return Decoded(
        prepared,  # type: ignore[arg-type]
        tally.rejected,
        tally.decode_message or tally.limit_message,
    )


class _Bare:
    """An item with only a resource: ``item_problem`` of the resource alone."""

    __slots__ = ("resource",)

    def __init__(self, resource: Resource) -> None:
        self.resource = resource


__all__ = ["decode_trace_rows"]
