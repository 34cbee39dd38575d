"""Id generators (official ``opentelemetry.sdk.trace.id_generator`` names)."""

from otel.sdk.trace._id_generator import IdGenerator, RandomIdGenerator

__all__ = ["IdGenerator", "RandomIdGenerator"]
