"""InstrumentationScope: who produced a span, metric or log record."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from otel._log import get_logger, safe_str
from otel.attributes import AttributeValue, clean_attributes

_logger = get_logger("otel.sdk.util.instrumentation")


def scope_text(value: object, what: str) -> str | None:
    """``value`` if it is a str or None, else its ``str()`` (logged). Never raises.

    Scope names, versions and schema URLs end up in cache keys and on the wire; an
    object that is not a string (or whose ``__eq__``/``__hash__`` misbehaves) would break
    both, so it is replaced by its text once, at the provider's door.
    """
    if value is None or type(value) is str:
        return value
    text = safe_str(value)
    _logger.warning(
        "Instrumentation scope %s must be a str; got %s, used %r", what, type(value).__name__, text
    )
    return text


class InstrumentationScope:
    """Immutable (name, version, schema_url, attributes) of an instrumentation library.

    Hashable and comparable, so providers can cache one tracer/meter/logger per scope.
    """

    __slots__ = ("_attributes", "_key", "_name", "_schema_url", "_version")

    def __init__(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, object] | None = None,
    ) -> None:
        name = scope_text(name, "name") or ""
        version = scope_text(version, "version")
        schema_url = scope_text(schema_url, "schema_url")
        self._name = name
        self._version = version
        self._schema_url = schema_url
        cleaned, _ = clean_attributes(attributes)
        self._attributes: Mapping[str, AttributeValue] = MappingProxyType(cleaned)
        self._key = (name, version, schema_url, tuple(sorted(cleaned.items(), key=_first)))

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> str | None:
        return self._version

    @property
    def schema_url(self) -> str | None:
        return self._schema_url

    @property
    def attributes(self) -> Mapping[str, AttributeValue]:
        return self._attributes

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InstrumentationScope) and self._key == other._key

    def __repr__(self) -> str:
        return (
            f"InstrumentationScope(name={self._name!r}, version={self._version!r}, "
            f"schema_url={self._schema_url!r}, attributes={dict(self._attributes)!r})"
        )

    def to_json(self, indent: int | None = 4) -> str:
        """The scope as a JSON document (name, version, schema_url, attributes)."""
        import json

        return json.dumps(
            {
                "name": self._name,
                "version": self._version,
                "schema_url": self._schema_url or "",
                "attributes": dict(self._attributes),
            },
            indent=indent,
        )


def _first(item: tuple[str, object]) -> str:
    return item[0]
