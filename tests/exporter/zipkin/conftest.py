"""The Zipkin v2 API definition as a JSON-schema validator, shared by the Zipkin tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import idl
import pytest

SPEC = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "zipkin2-api.yaml"
SPEC_FALLBACK = Path("/work/shared/specs/zipkin2-api.yaml")


@pytest.fixture(scope="module")
def validator() -> Any:
    try:
        import jsonschema
        import yaml
    except ImportError:
        idl.missing("jsonschema and pyyaml")
    spec = SPEC if SPEC.exists() else SPEC_FALLBACK
    if not spec.exists():
        idl.missing(f"the Zipkin v2 API definition ({SPEC})")
    definitions = yaml.safe_load(spec.read_text())["definitions"]
    schema = {"$ref": "#/definitions/ListOfSpans", "definitions": definitions}
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
