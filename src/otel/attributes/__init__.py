"""Attribute types and the validator every signal shares."""

from otel.attributes._attributes import (
    Attributes,
    AttributeValue,
    CheckedAttributes,
    clean_attribute_value,
    clean_attributes,
)

__all__ = [
    "AttributeValue",
    "Attributes",
    "CheckedAttributes",
    "clean_attribute_value",
    "clean_attributes",
]
