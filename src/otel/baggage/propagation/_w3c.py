"""W3C Baggage: the ``baggage`` header.

Values (and property values) are percent-encoded UTF-8; invalid UTF-8 escapes decode to
U+FFFD. Properties (``;k=v;flag``) are kept as the entry's metadata and injected again.
Limits, applied in both directions: at most 180 entries, 4096 bytes per entry and
8192 bytes in total; an entry beyond a limit is dropped, the others are kept. A
malformed entry is ignored on its own; it does not spoil the rest of the header.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import quote, unquote

from otel._log import get_logger
from otel.baggage._baggage import (
    _BAGGAGE_KEY,
    _context,
    _entries,
    _metadata,
    _with_header,
    get_all,
)
from otel.context import Context, get_current
from otel.propagators._textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)
from otel.propagators._warn import baggage_text, warn_once

_logger = get_logger("otel.baggage.propagation")
_escape_decode = codecs.escape_decode

_BAGGAGE = "baggage"
_MAX_ENTRIES = 180
_MAX_ENTRY_BYTES = 4096
_MAX_TOTAL_BYTES = 8192

# RFC 7230 token, and the W3C baggage-octet (printable ASCII but space " , ; \).
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_VALUE = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"
_PROPERTY = rf"{_TOKEN}(?:[ \t]*=[ \t]*{_VALUE})?"
_MEMBER_RE = re.compile(
    rf"[ \t]*({_TOKEN})[ \t]*=[ \t]*({_VALUE})[ \t]*((?:;[ \t]*(?:{_PROPERTY})?[ \t]*)*)\Z"
)
_PROPERTY_RE = re.compile(rf"({_TOKEN})(?:[ \t]*=[ \t]*({_VALUE}))?\Z")
_PROPERTY_SPLIT_RE = re.compile(r"[ \t]*;[ \t]*")
# The common header: "k=v,k2=v2" (whitespace only around commas, no properties, no empty
# member). One match validates it all; the members are then cut with split/partition.
_PAIR_RE = re.compile(rf"({_TOKEN})=({_VALUE})")
_SIMPLE_HEADER_RE = re.compile(
    rf"[ \t]*{_TOKEN}={_VALUE}(?:[ \t]*,[ \t]*{_TOKEN}={_VALUE})*[ \t]*\Z"
)

# Characters sent as they are; everything else is percent-encoded. "%" must be encoded;
# "+", "=" and "%" are encoded too, so that decoders which treat "+" as a space (or split
# on "=") still read the value right.
_VALUE_SAFE = "!#$&'()*-./:<>?@[]^_`{|}~"
_KEY_SAFE = "!#$&'*-.^_`|~"
_PLAIN_KEY_RE = re.compile(r"[!#$&'*\-.^_`|~0-9A-Za-z]+\Z")
_PLAIN_VALUE_RE = re.compile(r"[!#$&'()*\-./0-9:<>?@A-Z\[\]^_`a-z{|}~]*\Z")
_OWS = " \t"


def _normalize_properties(text: str) -> str | None:
    """``" ; a = 1 ;b"`` -> ``"a=1;b"``; None when a property is malformed."""
    out: list[str] = []
    for prop in _PROPERTY_SPLIT_RE.split(text.strip(" \t;")):
        if not prop:
            continue
        match = _PROPERTY_RE.match(prop)
        if match is None:
            return None
        key, value = match.groups()
        out.append(key if value is None else f"{key}={value}")
    return ";".join(out)


def _parse(headers: list[str]) -> list[tuple[str, str, str | None]]:
    """The valid ``(key, value, properties)`` of all ``baggage`` headers, within the limits."""
    parsed: list[tuple[str, str, str | None]] = []
    total = -1  # the first entry has no separating comma
    for header in headers:
        for member in header.split(","):
            member = member.strip(_OWS)
            if not member:
                continue
            size = len(member)  # a valid member is ASCII: characters are bytes
            if size > _MAX_ENTRY_BYTES or total + 1 + size > _MAX_TOTAL_BYTES:
                _logger.debug("Baggage entry over the size limit dropped")
                continue
            match = _MEMBER_RE.match(member)
            if match is None:
                _logger.debug("Malformed baggage entry ignored")
                continue
            key, value, properties = match.groups()
            if "%" in key:
                key = _unquote(key)
            if "%" in value:
                value = _unquote(value)
            parsed.append((key, value, _normalize_properties(properties) if properties else None))
            total += 1 + size
            if len(parsed) == _MAX_ENTRIES:
                _logger.debug("Baggage entry limit (%d) reached; rest dropped", _MAX_ENTRIES)
                return parsed
    return parsed


def _simple_entries(headers: list[str]) -> dict[str, object] | None:
    """The entries of the common header — one ``k=v,k2=v2`` value (whitespace only around
    commas, no properties, no empty member, at most 4096 bytes so within every limit) —
    found by two C-level regex passes; None for any other header (the full parser's job).
    Of a repeated key the last value wins, as in the full parser."""
    if len(headers) != 1:
        return None
    header = headers[0]
    if len(header) > _MAX_ENTRY_BYTES or _SIMPLE_HEADER_RE.match(header) is None:
        return None
    pairs: list[tuple[str, str]] = _PAIR_RE.findall(header)
    if len(pairs) > _MAX_ENTRIES:
        return None
    if "%" in header:
        pairs = [
            (_unquote(key) if "%" in key else key, _unquote(value) if "%" in value else value)
            for key, value in pairs
        ]
    return dict(pairs)


def _unquote(text: str) -> str:
    """Percent-decode ``text`` as UTF-8 (invalid UTF-8 becomes U+FFFD), as ``unquote``.

    ``text`` is a validated baggage key or value: ASCII without a backslash, so turning
    each ``%`` into ``\\x`` and decoding the escapes in C is exact; a malformed escape
    (``%zz``, a trailing ``%``) falls back to ``unquote``, which keeps it as it is.
    """
    if "\\" not in text and text.isascii():
        try:
            decoded: bytes = _escape_decode(text.replace("%", "\\x"))[0]
            return decoded.decode("utf-8", "replace")
        except ValueError:
            pass
    return unquote(text)


def _encode_key(key: str) -> str:
    if _PLAIN_KEY_RE.match(key) is not None:
        return key
    return quote(key, safe=_KEY_SAFE, errors="replace")


def _encode_value(value: str) -> str:
    if _PLAIN_VALUE_RE.match(value) is not None:
        return value
    return quote(value, safe=_VALUE_SAFE, errors="replace")


def _read(headers: list[str], base: Context) -> tuple[dict[str, object], dict[str, str]]:
    """The entries and metadata of ``base``'s baggage with those of ``headers`` over them
    (how an extracted header is read, on first use: ``_HeaderBaggage``)."""
    entries = _entries(base)
    metadata = _metadata(base)
    simple = _simple_entries(headers)
    if simple is not None:
        if entries:
            simple = {**entries, **simple}
        if metadata:
            metadata = {k: v for k, v in metadata.items() if k not in simple}
        return simple, metadata
    parsed = _parse(headers)
    if not parsed:
        return entries, metadata
    entries = dict(entries)
    metadata = dict(metadata)
    for key, value, props in parsed:
        entries[key] = value
        if props:
            metadata[key] = props
        elif metadata:
            metadata.pop(key, None)
    return entries, metadata


class W3CBaggagePropagator(TextMapPropagator):
    """Propagates baggage in the W3C ``baggage`` header."""

    _reads_only_fields = True

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        """``context`` (default: current) with the entries of ``carrier``'s baggage added.

        Entries already in ``context`` are kept unless the header has the same name. The
        header is parsed when the baggage is first read (``get_baggage``, ``get_all``,
        inject), so a request whose baggage nobody reads never pays for it; what is read
        is exactly what parsing at once would have given.
        """
        if context is None:
            context = get_current()
        try:
            headers = getter.get(carrier, _BAGGAGE)
            if not headers or (len(headers) == 1 and "=" not in headers[0]):
                return context  # absent, or without a single member
            if getter is not default_getter:
                headers = list(headers)  # a getter may hand over a list it changes later
            return _with_header(context, _read, headers)
        except Exception:
            _logger.exception("Failed to extract baggage")
            return context

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        """Set ``baggage`` from ``context`` (default: current); nothing when there is none.

        An entry whose encoded form exceeds 4096 bytes, or that would take the header over
        8192 bytes or 180 entries, is left out (logged).
        """
        try:
            context = context if type(context) is Context else _context(context)
            if not dict.get(context, _BAGGAGE_KEY):  # no baggage, the usual case: no header
                return
            entries = get_all(context)
            if not entries:
                return
            metadata = _metadata(context)
            parts: list[str] = []
            total = -1
            for name, value in entries.items():
                if not isinstance(name, str):
                    warn_once(_logger, repr(name), "Baggage name %r is not a str; not sent", name)
                    continue
                if len(parts) >= _MAX_ENTRIES:
                    warn_once(
                        _logger,
                        "entries",
                        "Baggage has more than %d entries; rest not sent",
                        _MAX_ENTRIES,
                    )
                    break
                text = baggage_text(_logger, name, value)
                if text is None:
                    continue
                part = f"{_encode_key(name)}={_encode_value(text)}"
                props = metadata.get(name)
                if props:
                    normalized = _normalize_properties(props)
                    if normalized is None:
                        warn_once(
                            _logger,
                            f"metadata:{name}",
                            "Malformed metadata of baggage entry %r not sent",
                            name,
                        )
                    elif normalized:
                        part = f"{part};{normalized}"
                size = len(part)
                if size > _MAX_ENTRY_BYTES or total + 1 + size > _MAX_TOTAL_BYTES:
                    warn_once(
                        _logger,
                        f"size:{name}",
                        "Baggage entry %r over the size limit; not sent",
                        name,
                    )
                    continue
                total += 1 + size
                parts.append(part)
            if parts:
                setter.set(carrier, _BAGGAGE, ",".join(parts))
        except Exception:
            _logger.exception("Failed to inject baggage")

    @property
    def fields(self) -> set[str]:
        return {_BAGGAGE}
