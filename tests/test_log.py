"""otel._log: lazy diagnostics loggers, and the import path they keep light."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from otel._log import get_logger

# Standard-library modules that ``import otel.sdk.trace`` (and the API below it) used to
# pull in at import time; each is imported only when actually needed now (first log
# record, first tracestate parsed, record_exception, resource detectors, a thread
# started, ...). Locks and weak references come from _thread, _weakref and _weakrefset.
_KEPT_OFF_THE_IMPORT_PATH = (
    "logging",
    "threading",
    "weakref",
    "re",
    "typing",
    "traceback",
    "textwrap",
    "string",
    "inspect",
    "json",
    "dataclasses",
    "urllib.parse",
    "uuid",
    "platform",
    "socket",
)


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("statement", ["import otel.sdk.trace", "import otel.trace", "import otel"])
def test_import_does_not_load_heavy_stdlib_modules(statement: str) -> None:
    before = _modules_loaded_by("")
    loaded = _modules_loaded_by(statement) - before
    assert "otel" in loaded
    assert sorted(loaded & set(_KEPT_OFF_THE_IMPORT_PATH)) == []


def test_trace_export_import_does_not_load_logging_typing_or_re() -> None:
    # the batch processor needs threading; diagnostics and type hints need nothing
    before = _modules_loaded_by("")
    loaded = _modules_loaded_by("import otel.sdk.trace.export") - before
    assert sorted(loaded & {"logging", "typing", "re", "traceback", "weakref"}) == []


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
