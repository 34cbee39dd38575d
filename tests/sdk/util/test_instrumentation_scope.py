"""InstrumentationScope.to_json: a JSON document, as the official method returns."""

from __future__ import annotations

import json

from otel.sdk.util.instrumentation import InstrumentationScope


def test_to_json_is_an_indented_json_document() -> None:
    text = InstrumentationScope("lib", "1.0", None, {"k": 1}).to_json()
    assert json.loads(text) == {
        "name": "lib",
        "version": "1.0",
        "schema_url": "",
        "attributes": {"k": 1},
    }
    assert "\n    " in text


def test_to_json_indent_none_is_one_line() -> None:
    text = InstrumentationScope("lib", schema_url="https://s").to_json(indent=None)
    assert "\n" not in text
    assert json.loads(text)["schema_url"] == "https://s"
