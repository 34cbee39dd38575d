"""Stable ``client.*`` attribute names
(official: ``opentelemetry.semconv.attributes.client_attributes``)."""

from typing import Final

CLIENT_ADDRESS: Final = "client.address"
CLIENT_PORT: Final = "client.port"

__all__ = [
    "CLIENT_ADDRESS",
    "CLIENT_PORT",
]
