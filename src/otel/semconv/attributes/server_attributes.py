"""Stable ``server.*`` attribute names
(official: ``opentelemetry.semconv.attributes.server_attributes``)."""

from typing import Final

SERVER_ADDRESS: Final = "server.address"
SERVER_PORT: Final = "server.port"

__all__ = [
    "SERVER_ADDRESS",
    "SERVER_PORT",
]
