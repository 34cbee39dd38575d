from __future__ import annotations

import logging

import pytest

from otel.logs import SeverityNumber, std_to_otel


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (logging.NOTSET, SeverityNumber.UNSPECIFIED),
        (-5, SeverityNumber.UNSPECIFIED),
        (1, SeverityNumber.TRACE),
        (5, SeverityNumber.TRACE),
        (9, SeverityNumber.TRACE),
        (logging.DEBUG, SeverityNumber.DEBUG),
        (11, SeverityNumber.DEBUG2),
        (12, SeverityNumber.DEBUG3),
        (13, SeverityNumber.DEBUG4),
        (19, SeverityNumber.DEBUG4),
        (logging.INFO, SeverityNumber.INFO),
        (21, SeverityNumber.INFO2),
        (25, SeverityNumber.INFO4),
        (logging.WARNING, SeverityNumber.WARN),
        (31, SeverityNumber.WARN2),
        (35, SeverityNumber.WARN4),
        (logging.ERROR, SeverityNumber.ERROR),
        (42, SeverityNumber.ERROR3),
        (logging.CRITICAL, SeverityNumber.FATAL),
        (51, SeverityNumber.FATAL2),
        (52, SeverityNumber.FATAL3),
        (53, SeverityNumber.FATAL4),
        (60, SeverityNumber.FATAL4),
        (1000, SeverityNumber.FATAL4),
    ],
)
def test_std_level_maps_to_severity_number(level: int, expected: SeverityNumber) -> None:
    assert std_to_otel(level) is expected


def test_mapping_preserves_level_order() -> None:
    numbers = [std_to_otel(level) for level in range(0, 80)]
    assert numbers == sorted(numbers)


def test_severity_number_values_follow_the_data_model() -> None:
    assert [int(s) for s in SeverityNumber] == list(range(25))
    assert SeverityNumber.WARN == 13 and SeverityNumber.FATAL4.value == 24


def test_non_int_level_is_unspecified() -> None:
    assert std_to_otel("WARNING") is SeverityNumber.UNSPECIFIED  # type: ignore[arg-type]
