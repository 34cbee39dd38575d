from __future__ import annotations

import logging

import pytest

from otel.sdk.config import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_key_value_list,
    sdk_disabled,
)


def test_env_str_treats_empty_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_X", "  ")
    assert env_str("OTEL_X", "d") == "d"


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("TRUE", True), ("false", False)])
def test_env_bool_accepts_true_and_false_case_insensitively(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("OTEL_X", raw)
    assert env_bool("OTEL_X", not expected) is expected


def test_env_bool_invalid_value_warns_and_gives_default(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_X", "yes")
    with caplog.at_level(logging.WARNING, logger="otel.sdk.config"):
        assert env_bool("OTEL_X", False) is False
    assert "OTEL_X" in caplog.text


def test_env_int_invalid_or_below_minimum_gives_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_X", "abc")
    assert env_int("OTEL_X", 7) == 7
    monkeypatch.setenv("OTEL_X", "-1")
    assert env_int("OTEL_X", 7, minimum=0) == 7
    monkeypatch.setenv("OTEL_X", "12")
    assert env_int("OTEL_X", 7, minimum=0) == 12


def test_env_float_rejects_nan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_X", "nan")
    assert env_float("OTEL_X", 0.5) == 0.5


def test_env_list_splits_and_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_X", " a, b ,,c ")
    assert env_list("OTEL_X") == ["a", "b", "c"]


def test_parse_key_value_list_percent_decodes_and_skips_malformed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="otel.sdk.config"):
        parsed = parse_key_value_list("a=1,b%20c=x%2Cy,broken,=v", source="TEST")
    assert parsed == {"a": "1", "b c": "x,y"}
    assert "broken" in caplog.text


def test_sdk_disabled_reads_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sdk_disabled() is False
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert sdk_disabled() is True
