"""Stable ``network.*`` attribute names
(official: ``opentelemetry.semconv.attributes.network_attributes``)."""

from typing import Final

NETWORK_LOCAL_ADDRESS: Final = "network.local.address"
NETWORK_LOCAL_PORT: Final = "network.local.port"
NETWORK_PEER_ADDRESS: Final = "network.peer.address"
NETWORK_PEER_PORT: Final = "network.peer.port"
NETWORK_PROTOCOL_NAME: Final = "network.protocol.name"
NETWORK_PROTOCOL_VERSION: Final = "network.protocol.version"
NETWORK_TRANSPORT: Final = "network.transport"
NETWORK_TYPE: Final = "network.type"

__all__ = [
    "NETWORK_LOCAL_ADDRESS",
    "NETWORK_LOCAL_PORT",
    "NETWORK_PEER_ADDRESS",
    "NETWORK_PEER_PORT",
    "NETWORK_PROTOCOL_NAME",
    "NETWORK_PROTOCOL_VERSION",
    "NETWORK_TRANSPORT",
    "NETWORK_TYPE",
]
