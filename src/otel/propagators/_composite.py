"""A propagator that runs several propagators in order."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

from otel._log import get_logger
from otel.context import Context
from otel.propagators._textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

_logger = get_logger("otel.propagators")

_MAX_SPELLINGS = 1 << 14
# The one character outside ASCII whose ``lower()`` is an ASCII letter (KELVIN SIGN)
_NON_ASCII_UPPER = {"k": "\u212a"}


def _spellings(name: str) -> set[str] | None:
    """Every str whose ``lower()`` equals ``name.lower()`` (what ``DefaultGetter`` matches),
    or None when there are more than ``_MAX_SPELLINGS`` or ``name`` is not ASCII."""
    lowered = name.lower()
    if not lowered.isascii():
        return None
    choices: list[tuple[str, ...]] = []
    count = 1
    for char in lowered:
        choices.append(tuple(dict.fromkeys((char, char.upper(), _NON_ASCII_UPPER.get(char, char)))))
        count *= len(choices[-1])
        if count > _MAX_SPELLINGS:
            return None
    return {"".join(spelling) for spelling in product(*choices)}


class CompositePropagator(TextMapPropagator):
    """Runs ``propagators`` in order: each extract sees the Context the previous one
    returned; each inject writes its own headers. One failing propagator is logged and
    skipped, the others still run."""

    def __init__(self, propagators: Sequence[TextMapPropagator]) -> None:
        self._propagators = tuple(propagators)
        # Every spelling, in any letter case, of the header names the propagators need to
        # find anything (``_extract_fields``, else ``fields``), when that is all they read
        # and the names are short: a dict carrier holding none of them as a key has nothing
        # to extract, which one C-level pass of hash lookups over its keys decides.
        self._spellings: frozenset[str] | None = None
        try:
            if self._propagators and all(
                type(p).__dict__.get("_reads_only_fields") is True for p in self._propagators
            ):
                found = [
                    _spellings(name)
                    for p in self._propagators
                    for name in type(p).__dict__.get("_extract_fields") or p.fields
                ]
                if None not in found:
                    spellings = frozenset[str]().union(*found)  # type: ignore[arg-type]
                    if len(spellings) <= _MAX_SPELLINGS:
                        self._spellings = spellings
        except Exception:
            _logger.debug("Propagator fields unreadable; no fast path", exc_info=True)

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        spellings = self._spellings
        keys: object = carrier  # any carrier type: only an exact dict takes the fast path
        if (
            spellings is not None
            and getter is default_getter
            and type(keys) is dict
            and spellings.isdisjoint(keys)
        ):
            return context if context is not None else Context()
        for propagator in self._propagators:
            try:
                context = propagator.extract(carrier, context, getter)
            except Exception:
                _logger.exception("Propagator %r failed to extract", propagator)
        return context if context is not None else Context()

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        for propagator in self._propagators:
            try:
                propagator.inject(carrier, context, setter)
            except Exception:
                _logger.exception("Propagator %r failed to inject", propagator)

    @property
    def fields(self) -> set[str]:
        names: set[str] = set()
        for propagator in self._propagators:
            names.update(propagator.fields)
        return names

    def __repr__(self) -> str:
        return f"CompositePropagator({list(self._propagators)!r})"


# The name older official releases used; same class.
CompositeHTTPPropagator = CompositePropagator
