"""Stable ``user_agent.*`` attribute names
(official: ``opentelemetry.semconv.attributes.user_agent_attributes``)."""

from typing import Final

USER_AGENT_ORIGINAL: Final = "user_agent.original"

__all__ = [
    "USER_AGENT_ORIGINAL",
]
