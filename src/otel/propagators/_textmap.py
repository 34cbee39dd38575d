"""The TextMapPropagator interface and the getter/setter that read and write carriers.

A *carrier* is whatever holds the headers of a request or message: by default a
mapping of header name to one value (``str``) or many (a list of ``str``). A
:class:`Getter` turns a carrier into header values, a :class:`Setter` writes one.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, MutableMapping
from typing import Any, Generic, TypeVar, Union

from otel._log import get_logger
from otel.context import Context

_logger = get_logger("otel.propagators")

CarrierT = TypeVar("CarrierT")
CarrierValT = Union[list[str], str]  # noqa: UP007 - a runtime alias, kept for 3.10


class Getter(abc.ABC, Generic[CarrierT]):
    """Reads header values out of a carrier of type ``CarrierT``."""

    @abc.abstractmethod
    def get(self, carrier: CarrierT, key: str) -> list[str] | None:
        """All values of header ``key`` in ``carrier``, or None when it is absent."""

    @abc.abstractmethod
    def keys(self, carrier: CarrierT) -> list[str]:
        """The header names present in ``carrier``."""


class Setter(abc.ABC, Generic[CarrierT]):
    """Writes a header value into a carrier of type ``CarrierT``."""

    @abc.abstractmethod
    def set(self, carrier: CarrierT, key: str, value: str) -> None:
        """Set header ``key`` to ``value`` in ``carrier``."""


def _as_str_list(value: object) -> list[str] | None:
    """One header value or several, as a list of str; bytes are read as latin-1."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes | bytearray):
        return [bytes(value).decode("latin-1")]
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, bytes | bytearray):
                out.append(bytes(item).decode("latin-1"))
        return out
    return None


class DefaultGetter(Getter[Mapping[str, CarrierValT]]):
    """Reads an HTTP-header mapping; header names match case-insensitively.

    The exact key is tried first (one dict lookup, the common case); only when it is
    missing are the carrier's keys compared case-insensitively (first all at once in C,
    to answer the usual "absent" quickly), and the values of
    every matching key are returned together. A value may be a ``str``, ``bytes``
    (decoded as latin-1, as HTTP does) or a list/tuple of them. Never raises.
    """

    def get(self, carrier: Mapping[str, CarrierValT], key: str) -> list[str] | None:
        try:
            value = carrier.get(key)
            if value is not None:
                if type(value) is str:
                    return [value]
                return _as_str_list(value)
            lowered = key.lower()
            size = len(key)
            try:
                # The usual miss (no such header in any case) decided at C speed: no name
                # of that length (cheap), or none equal once lowercased.
                if size not in map(len, carrier) or lowered not in map(str.lower, carrier):
                    return None
            except TypeError:
                pass  # a key that is not a str: compare one by one below
            found: list[str] | None = None
            for name in carrier:
                # Cheap length test first: most header names differ in length.
                if isinstance(name, str) and len(name) == size and name.lower() == lowered:
                    values = _as_str_list(carrier[name])
                    if values is not None:
                        found = values if found is None else found + values
            return found
        except Exception:
            _logger.debug("Carrier of type %s is not a readable mapping", type(carrier).__name__)
            return None

    def keys(self, carrier: Mapping[str, CarrierValT]) -> list[str]:
        try:
            return [key for key in carrier if isinstance(key, str)]
        except Exception:
            _logger.debug("Carrier of type %s is not a readable mapping", type(carrier).__name__)
            return []


class DefaultSetter(Setter[MutableMapping[str, CarrierValT]]):
    """Writes ``carrier[key] = value`` into a mutable mapping."""

    def set(self, carrier: MutableMapping[str, CarrierValT], key: str, value: str) -> None:
        carrier[key] = value


default_getter: Getter[Any] = DefaultGetter()
default_setter: Setter[Any] = DefaultSetter()


class TextMapPropagator(abc.ABC):
    """Injects a Context into a carrier and extracts one from it (one wire format).

    Implementations never raise from :meth:`extract` or :meth:`inject`: a malformed
    header means "nothing to extract", and an invalid span context injects nothing.
    """

    # True (set in the class itself) when ``extract`` reads no header outside ``fields``
    # and returns the Context unchanged when none of them is there: a composite of such
    # propagators skips them all for a carrier without any of those headers.
    _reads_only_fields: bool = False
    # With ``_reads_only_fields``: the header names without any of which ``extract``
    # returns the Context unchanged, when fewer than ``fields`` (W3C trace context reads
    # ``tracestate`` only beside a ``traceparent``). None: all of ``fields``.
    _extract_fields: frozenset[str] | None = None

    @abc.abstractmethod
    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        """A Context based on ``context`` holding what this format found in ``carrier``."""

    @abc.abstractmethod
    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        """Write what this format carries from ``context`` (default: current) into ``carrier``."""

    @property
    @abc.abstractmethod
    def fields(self) -> set[str]:
        """The header names :meth:`inject` may set (so carriers can be cleared/reused)."""
