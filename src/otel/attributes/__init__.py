"""Attribute types and the validator every signal shares."""

from otel.attributes._attributes import (
    Attributes,
    AttributeValue,
    clean_attribute_value,
    clean_attributes,
)

__all__ = ["AttributeValue", "Attributes", "clean_attribute_value", "clean_attributes"]
