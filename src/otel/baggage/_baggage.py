"""Baggage: name/value pairs that travel with a request, stored immutably in a Context.

Every function returns a new Context (or reads one); nothing is ever changed in place.
Each entry may carry *metadata*: the W3C baggage properties (``;k=v;flag``) as an
opaque string, kept so that extracted properties are injected again unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from otel._log import get_logger
from otel.context import Context, create_key, get_current

_logger = get_logger("otel.baggage")

_BAGGAGE_KEY = create_key("baggage")
_METADATA_KEY = create_key("baggage-metadata")
_EMPTY: Mapping[str, object] = MappingProxyType({})


def _context(context: Context | None) -> Context:
    if context is None:
        return get_current()
    if isinstance(context, dict):  # Context is a dict subclass
        return context
    _logger.warning("Baggage needs a Context; got %r, used an empty one", context)
    return Context()


def _hashable(name: object) -> bool:
    try:
        hash(name)
        name == name  # noqa: B015 - a name whose __eq__ raises is unusable too
    except Exception:
        _logger.warning("Baggage name %r is not hashable; ignored", name)
        return False
    return True


class _HeaderBaggage:
    """Baggage extracted from a header, parsed when first read: extraction on the request
    path only keeps the header values and the Context they were extracted into (whose
    baggage the header's entries are merged over); ``get_baggage``, ``get_all``, inject and
    the other readers parse it then (``read``: the propagator's parser, returning the
    merged entries and metadata). Immutable as seen from outside; two threads parsing at
    once get equal results and either is kept. A parser that raises is logged and the
    header ignored (the base Context's baggage is read), as extraction would have done.
    """

    __slots__ = ("_base", "_headers", "_parsed", "_read")

    def __init__(
        self,
        read: Callable[[list[str], Context], tuple[dict[str, object], dict[str, str]]],
        headers: list[str],
        base: Context,
    ) -> None:
        self._read = read
        self._headers = headers
        self._base = base
        self._parsed: tuple[dict[str, object], dict[str, str]] | None = None

    def parsed(self) -> tuple[dict[str, object], dict[str, str]]:
        """The entries and the metadata (never changed afterwards)."""
        found = self._parsed
        if found is None:
            try:
                found = self._read(self._headers, self._base)
            except Exception:
                _logger.exception("Failed to parse extracted baggage; header ignored")
                found = (_entries(self._base), _metadata(self._base))
            self._parsed = found
        return found

    def __repr__(self) -> str:
        return f"_HeaderBaggage({self._headers!r})"


def _entries(context: Context) -> dict[str, object]:
    entries = dict.get(context, _BAGGAGE_KEY)
    if isinstance(entries, dict):
        return entries
    if type(entries) is _HeaderBaggage:
        return entries.parsed()[0]
    return {}


def _metadata(context: Context) -> dict[str, str]:
    entries = dict.get(context, _BAGGAGE_KEY)
    if type(entries) is _HeaderBaggage:
        return entries.parsed()[1]
    metadata = dict.get(context, _METADATA_KEY)
    return metadata if isinstance(metadata, dict) else {}


def _with_header(
    context: Context,
    read: Callable[[list[str], Context], tuple[dict[str, object], dict[str, str]]],
    headers: list[str],
) -> Context:
    """``context`` with the baggage of ``headers`` over its own, parsed by ``read`` when
    first read (used by propagators)."""
    new = Context(context)
    dict.__setitem__(new, _BAGGAGE_KEY, _HeaderBaggage(read, headers, context))
    if _METADATA_KEY in new:
        dict.__delitem__(new, _METADATA_KEY)
    return new


def _with(context: Context, entries: dict[str, object], metadata: dict[str, str] | None) -> Context:
    new = Context(context)
    dict.__setitem__(new, _BAGGAGE_KEY, entries)
    if metadata:
        dict.__setitem__(new, _METADATA_KEY, metadata)
    else:
        dict.pop(new, _METADATA_KEY, None)
    return new


def get_all(context: Context | None = None) -> Mapping[str, object]:
    """All baggage in ``context`` (default: current) as a read-only mapping.

    Like every function here, never raises: a name that cannot be hashed or compared is
    ignored with a warning, and an argument that is not a Context counts as an empty one.
    """
    entries = _entries(_context(context))
    return MappingProxyType(entries) if entries else _EMPTY


def get_baggage(name: str, context: Context | None = None) -> object | None:
    """The value of baggage entry ``name`` in ``context`` (default: current), or None."""
    context = _context(context)
    if not _hashable(name):
        return None
    return _entries(context).get(name)


def get_baggage_metadata(name: str, context: Context | None = None) -> str | None:
    """The metadata (W3C properties, e.g. ``"ttl=30;internal"``) of entry ``name``, or None."""
    if not _hashable(name):
        return None
    return _metadata(_context(context)).get(name)


def set_baggage(
    name: str,
    value: object,
    context: Context | None = None,
    *,
    metadata: str | None = None,
) -> Context:
    """A new Context, based on ``context`` (default: current), with ``name`` set to ``value``.

    ``metadata`` (an otel extension, keyword-only) attaches W3C properties to the entry;
    setting an entry again without it drops the old entry's metadata.
    """
    context = _context(context)
    if not _hashable(name):
        return context
    entries = dict(_entries(context))
    entries[name] = value
    metadata_map = _metadata(context)
    if metadata is not None or name in metadata_map:
        metadata_map = dict(metadata_map)
        if metadata is None:
            del metadata_map[name]
        else:
            metadata_map[name] = metadata
    return _with(context, entries, metadata_map)


def remove_baggage(name: str, context: Context | None = None) -> Context:
    """A new Context, based on ``context`` (default: current), without entry ``name``."""
    context = _context(context)
    if not _hashable(name):
        return context
    entries = dict(_entries(context))
    entries.pop(name, None)
    metadata_map = _metadata(context)
    if name in metadata_map:
        metadata_map = dict(metadata_map)
        del metadata_map[name]
    return _with(context, entries, metadata_map)


def clear(context: Context | None = None) -> Context:
    """A new Context, based on ``context`` (default: current), with no baggage at all."""
    return _with(_context(context), {}, None)


def _set_all(
    context: Context, entries: dict[str, object], metadata: dict[str, str] | None
) -> Context:
    """Store prepared ``entries``/``metadata`` (owned by the caller; used by propagators)."""
    return _with(context, entries, metadata)
