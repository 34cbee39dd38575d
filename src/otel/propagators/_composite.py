"""A propagator that runs several propagators in order."""

from __future__ import annotations

from collections.abc import Sequence

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


class CompositePropagator(TextMapPropagator):
    """Runs ``propagators`` in order: each extract sees the Context the previous one
    returned; each inject writes its own headers. One failing propagator is logged and
    skipped, the others still run."""

    def __init__(self, propagators: Sequence[TextMapPropagator]) -> None:
        self._propagators = tuple(propagators)
        # The lengths of every header name the propagators read, when that is all they
        # read: a dict carrier none of whose keys has such a length holds none of them in
        # any letter case, so there is nothing to extract (one C-level pass over the keys
        # instead of one case-insensitive lookup per header name).
        self._field_lengths: frozenset[int] | None = None
        try:
            if self._propagators and all(
                type(p).__dict__.get("_reads_only_fields") is True for p in self._propagators
            ):
                self._field_lengths = frozenset(
                    len(name) for p in self._propagators for name in p.fields
                )
        except Exception:
            _logger.debug("Propagator fields unreadable; no fast path", exc_info=True)

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        lengths = self._field_lengths
        keys: object = carrier  # any carrier type: only an exact dict takes the fast path
        if lengths is not None and getter is default_getter and type(keys) is dict:
            try:
                if lengths.isdisjoint(map(len, keys)):
                    return context if context is not None else Context()
            except TypeError:
                pass  # a key without a length: let the propagators look
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
