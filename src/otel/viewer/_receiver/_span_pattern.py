"""Compiled patterns that read the common protobuf ``Span`` in one C call (``re``).

Every OTLP encoder we know writes a plain span's fields in field-number order with one-byte
lengths: ``trace_id (1) span_id (2) [parent_span_id (4)] [name (5)] [kind (6)]
start (7) end (8) attributes (9)* [status (15)] [flags (16)]``. ``SPAN`` matches that
layout up to the attributes (``endpos`` set to the span's end) and captures the pieces,
the first attribute fields one by one and whatever follows them as one group for the
caller to read; anything else -- other fields before the attributes, another order, a
name of 128 bytes or more, an all-zero trace or span id, a time beyond a signed 64-bit
integer -- does not match, and the caller reads the span the general way. A match proves
the framing of what it captured; the attribute bytes are still decoded (or looked up)
one ``KeyValue`` at a time.

A length-delimited field whose length fits in one byte is the alternation
``\\x00 | \\x01. | \\x02.. | ... | \\x7f.{127}``: ``re`` cannot count by a captured length,
but it picks the branch that starts with the length byte (a literal test per branch, in C).
Optional parts are possessive (``?+``, ``*+``): nothing to backtrack into, less state kept.
The first ``SLOTS`` attribute fields are captured one group each (``groups()`` hands them
over in one call); the rest of a longer run is one more group.

``SPANS`` reads a run of such spans, framing included, with one ``findall`` over the
``ScopeSpans`` bytes: no match object and no Python step per span to find the next one.
It cannot end a span by its length, so it reads each span to the end of its usual fields
(attributes with one-byte lengths, a status with a code and no message, flags) and the
caller checks that the span's length varint is the length of what was read; the first
span where it is not (or the first thing that is not a span) ends the run there.
"""

from __future__ import annotations

import re
import struct


def _length_prefixed() -> bytes:
    """The pattern of ``<length byte n < 128> <n bytes>``."""
    return b"(?:%s)" % b"|".join(
        re.escape(bytes([n])) + (b".{%d}" % n if n else b"") for n in range(128)
    )


_LP = _length_prefixed()
SLOTS = 8


def _slots(count: int) -> bytes:
    """``count`` nested optional attribute fields, one group each (an absent one ends them)."""
    return b"(?:(\\x4a%s)%s)?+" % (_LP, _slots(count - 1)) if count else b""


#: groups: trace id, span id, parent id (None: absent or all zero), name field with its
#: length byte (None: absent), kind byte (None: absent), start and end times (17 bytes,
#: ``TIMES``), ``SLOTS`` attribute fields (each ``0x4a <len> <KeyValue>`` or None), and the
#: span's remaining bytes (b"" when none: usually a status, maybe flags, more attributes)
_HEAD = b"".join(
    (
        rb"\x0a\x10(?!\x00{16})(.{16})",
        rb"\x12\x08(?!\x00{8})(.{8})",
        rb"(?:\x22\x08(?:\x00{8}|(.{8})))?+",
        rb"(?:\x2a(%s))?+" % _LP,
        rb"(?:\x30([\x00-\x7f]))?+",
        rb"\x39(.{7}[\x00-\x7f]\x41.{7}[\x00-\x7f])",
        _slots(SLOTS),
    )
)
SPAN = re.compile(_HEAD + rb"(.*)\Z", re.DOTALL)

#: ``SPANS.findall(scope_spans, pos)``: the spans field by field from ``pos`` on, one tuple
#: per span: its length varint (1 or 2 bytes), its bytes, ``SPAN``'s groups up to the
#: attribute slots, the attribute fields after the slots (one group, b"" when none), and the
#: tail: a status with a code of 0-2 and no message, flags (b"" when neither), then b"".
#: The first thing that is not such a span (another field, a span of another shape or of
#: 16 KiB or more) gives one last tuple whose final group is its first byte and whose
#: other groups are empty; nothing is scanned past it. Absent groups are b"". A span's
#: tuple is only the span when its length varint's value is the length of its bytes.
SPANS = re.compile(
    b"".join(
        (
            rb"\x12([\x00-\x7f]|[\x80-\xff][\x01-\x7f])(",
            _HEAD,
            rb"((?:\x4a%s)*+)" % _LP,
            rb"((?:\x7a(?:\x00|\x02\x18[\x00-\x02]))?+(?:\x85\x01.{4})?+)",
            rb")|(.).*",
        )
    ),
    re.DOTALL,
)
#: a ``SPANS`` length group -> its value (b"", the last tuple's: -1, no span's length)
LENGTHS: dict[bytes, int] = {bytes([n]): n for n in range(128)}
LENGTHS[b""] = -1
LENGTHS.update(
    (bytes([low | 0x80, high]), low | high << 7) for low in range(128) for high in range(1, 128)
)
#: (start, end) of ``SPAN``'s times group
TIMES = struct.Struct("<QxQ").unpack
#: a one-byte varint (or None: absent, 0) as its value
SMALL: dict[bytes | None, int] = {bytes([n]): n for n in range(128)}
SMALL[None] = 0
SMALL[b""] = 0
