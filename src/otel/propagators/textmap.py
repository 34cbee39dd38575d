"""The TextMapPropagator interface, getters, setters and carrier types."""

from otel.propagators._textmap import (
    CarrierT,
    CarrierValT,
    DefaultGetter,
    DefaultSetter,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

__all__ = [
    "CarrierT",
    "CarrierValT",
    "DefaultGetter",
    "DefaultSetter",
    "Getter",
    "Setter",
    "TextMapPropagator",
    "default_getter",
    "default_setter",
]
