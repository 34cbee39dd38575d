"""otel.sdk.error_handler: the official error-handler plugin mechanism."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from otel.sdk import error_handler
from otel.sdk.error_handler import ErrorHandler, GlobalErrorHandler, register_error_handler

handled: list[tuple[str, Exception]] = []


class ZeroDivisionHandler(ErrorHandler, ZeroDivisionError):
    def _handle(self, error: Exception, *args: object, **kwargs: object) -> None:
        handled.append(("zero", error))


class LookupHandler(ErrorHandler, LookupError):
    def _handle(self, error: Exception, *args: object, **kwargs: object) -> None:
        handled.append(("lookup", error))


class BrokenHandler(ErrorHandler, ValueError):
    def _handle(self, error: Exception, *args: object, **kwargs: object) -> None:
        raise RuntimeError("the plugin itself fails")


@pytest.fixture(autouse=True)
def plugins() -> Iterator[None]:
    error_handler._reset()
    handled.clear()
    for plugin in (ZeroDivisionHandler, LookupHandler, BrokenHandler):
        register_error_handler(plugin)
    yield
    error_handler._reset()


def test_error_goes_to_the_plugin_that_derives_from_its_type() -> None:
    with GlobalErrorHandler():
        1 / 0  # noqa: B018
    assert [name for name, _ in handled] == ["zero"]


def test_plugin_handles_errors_whose_type_it_derives_from() -> None:
    with GlobalErrorHandler():
        raise LookupError("x")
    assert [name for name, _ in handled] == ["lookup"]


def test_plugin_does_not_handle_subclasses_it_does_not_derive_from() -> None:
    with GlobalErrorHandler():
        {}["missing"]  # KeyError is a LookupError; LookupHandler is no KeyError
    assert handled == []


def test_unhandled_error_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, "otel.sdk.error_handler"), GlobalErrorHandler():
        raise OSError("disk")
    assert handled == []
    (record,) = caplog.records
    assert record.exc_info is not None and isinstance(record.exc_info[1], OSError)


def test_a_failing_plugin_is_logged_and_the_error_does_not_escape(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, "otel.sdk.error_handler"), GlobalErrorHandler():
        raise ValueError("bad")
    assert "Error handler BrokenHandler failed" in caplog.text


def test_keyboard_interrupt_passes_through() -> None:
    with pytest.raises(KeyboardInterrupt), GlobalErrorHandler():
        raise KeyboardInterrupt


def test_global_error_handler_is_a_singleton() -> None:
    assert GlobalErrorHandler() is GlobalErrorHandler()


def test_plugins_come_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    error_handler._reset()

    class EntryPoint:
        name = "zero"

        def load(self) -> type[ErrorHandler]:
            return ZeroDivisionHandler

    seen: list[str] = []

    def entry_points(group: str) -> list[EntryPoint]:
        seen.append(group)
        return [EntryPoint()]

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    with GlobalErrorHandler():
        1 / 0  # noqa: B018
    assert seen == ["otel_error_handler"]
    assert [name for name, _ in handled] == ["zero"]
