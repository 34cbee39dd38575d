"""MeterProvider registers its exit-time shutdown through otel.sdk._atexit."""

from __future__ import annotations

import atexit
import gc
import weakref
from typing import Any

import pytest

from otel.sdk import _atexit
from otel.sdk.metrics import MeterProvider


def test_provider_uses_the_shared_weak_atexit_helper() -> None:
    provider = MeterProvider()
    handler = provider._atexit
    assert handler is not None
    assert handler.__module__ == _atexit.__name__
    provider.shutdown()


def test_provider_is_collectable_despite_exit_registration() -> None:
    provider = MeterProvider()
    ref = weakref.ref(provider)
    del provider
    gc.collect()
    assert ref() is None


def test_shutdown_unregisters_the_exit_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    unregistered: list[Any] = []
    monkeypatch.setattr(atexit, "unregister", unregistered.append)
    provider = MeterProvider()
    handler = provider._atexit
    provider.shutdown()
    assert unregistered == [handler]
