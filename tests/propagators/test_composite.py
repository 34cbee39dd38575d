"""CompositePropagator: several propagators acting as one."""

from __future__ import annotations

import logging

import pytest

from otel.context import Context, create_key, get_value, set_value
from otel.propagators.composite import CompositeHTTPPropagator, CompositePropagator
from otel.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

KEY = create_key("seen")


class Recording(TextMapPropagator):
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.fail = fail

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if self.fail:
            raise RuntimeError("extract failed")
        seen = get_value(KEY, context) or ()
        return set_value(KEY, (*seen, self.name), context or Context())  # type: ignore[misc]

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        if self.fail:
            raise RuntimeError("inject failed")
        setter.set(carrier, self.name, "1")

    @property
    def fields(self) -> set[str]:
        return {self.name}


def test_extract_runs_each_propagator_on_the_previous_result() -> None:
    composite = CompositePropagator([Recording("a"), Recording("b")])
    assert get_value(KEY, composite.extract({}, Context())) == ("a", "b")


def test_inject_runs_every_propagator() -> None:
    carrier: dict[str, str] = {}
    CompositePropagator([Recording("a"), Recording("b")]).inject(carrier, Context())
    assert carrier == {"a": "1", "b": "1"}


def test_fields_are_the_union() -> None:
    assert CompositePropagator([Recording("a"), Recording("b")]).fields == {"a", "b"}


def test_failing_propagator_is_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    composite = CompositePropagator([Recording("a"), Recording("x", fail=True), Recording("b")])
    carrier: dict[str, str] = {}
    with caplog.at_level(logging.ERROR, logger="otel.propagators"):
        context = composite.extract({}, Context())
        composite.inject(carrier, Context())
    assert get_value(KEY, context) == ("a", "b")
    assert carrier == {"a": "1", "b": "1"}
    assert len(caplog.records) == 2


def test_empty_composite_extracts_an_empty_context() -> None:
    assert CompositePropagator([]).extract({}) == Context()


def test_empty_composite_returns_the_given_context() -> None:
    base = Context()
    assert CompositePropagator([]).extract({}, base) is base


def test_old_name_is_the_same_class() -> None:
    assert CompositeHTTPPropagator is CompositePropagator
