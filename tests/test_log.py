"""otel._log: lazy diagnostics loggers (the import budgets they make possible are checked in
tests/test_layers.py)."""

from __future__ import annotations

import logging

import pytest

from otel._log import get_logger


def test_lazy_logger_records_go_to_the_named_logger(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="otel.test_log")
    get_logger("otel.test_log").warning("value %s dropped", 42)
    (record,) = [r for r in caplog.records if r.name == "otel.test_log"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "value 42 dropped"


def test_lazy_logger_record_names_the_caller_not_the_wrapper(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="otel.test_log")
    get_logger("otel.test_log").info("here")
    (record,) = [r for r in caplog.records if r.name == "otel.test_log"]
    assert record.funcName == "test_lazy_logger_record_names_the_caller_not_the_wrapper"
    assert record.pathname == __file__


def test_lazy_logger_exception_carries_the_traceback(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        get_logger("otel.test_log").exception("failed")
    (record,) = [r for r in caplog.records if r.name == "otel.test_log"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_lazy_logger_follows_the_real_logger_level() -> None:
    lazy = get_logger("otel.test_log.level")
    real = logging.getLogger("otel.test_log.level")
    real.setLevel(logging.ERROR)
    try:
        assert lazy.logger is real
        assert not lazy.isEnabledFor(logging.WARNING)
        assert lazy.isEnabledFor(logging.ERROR)
        assert lazy.getEffectiveLevel() == logging.ERROR
    finally:
        real.setLevel(logging.NOTSET)


def test_lazy_logger_delegates_other_logger_attributes() -> None:
    lazy = get_logger("otel.test_log.attrs")
    lazy.setLevel(logging.CRITICAL)
    try:
        assert logging.getLogger("otel.test_log.attrs").level == logging.CRITICAL
        assert lazy.level == logging.CRITICAL
    finally:
        lazy.setLevel(logging.NOTSET)
