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

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
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
