"""Proxy meters and instruments follow the global provider: bound, rebound, unbound."""

from __future__ import annotations

import os
import warnings

from _support.wait import wait_child
from otel import metrics
from otel.metrics import _meter
from otel.metrics._meter import _swap_meter_provider
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader


def _provider() -> tuple[MeterProvider, InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    return MeterProvider(metric_readers=[reader], shutdown_on_exit=False), reader


def _total(reader: InMemoryMetricReader, name: str) -> list[float]:
    data = reader.get_metrics_data()
    if data is None:
        return []
    return [
        point.value
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        for metric in sm.metrics
        if metric.name == name
        for point in metric.data.data_points
    ]


def test_proxy_counter_rebinds_to_each_new_global_provider() -> None:
    counter = metrics.get_meter("lib").create_counter("hits")
    first, first_reader = _provider()
    _swap_meter_provider(first)
    counter.add(1)
    second, second_reader = _provider()
    _swap_meter_provider(second)
    counter.add(2)
    assert _total(first_reader, "hits") == [1]
    assert _total(second_reader, "hits") == [2]


def test_proxy_counter_is_no_op_after_unbinding() -> None:
    counter = metrics.get_meter("lib").create_counter("hits")
    provider, reader = _provider()
    _swap_meter_provider(provider)
    _swap_meter_provider(None)
    counter.add(5)
    assert _total(reader, "hits") == []


def test_proxy_meter_returns_the_same_proxy_for_a_duplicate_instrument() -> None:
    meter = metrics.get_meter("lib")
    assert meter.create_counter("hits") is meter.create_counter("HITS")
    assert metrics.get_meter("lib") is meter


# --- The global MeterProvider lock is usable in a forked child even if held at fork time. (formerly
# test_robustness_fork_lock.py)


def test_provider_lock_held_at_fork_is_renewed_in_the_child() -> None:
    lock = _meter._provider_lock
    lock.acquire()  # as if another thread were inside set_meter_provider at fork time
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                if _meter._provider_lock.acquire(timeout=2):
                    _meter._provider_lock.release()
                    code = 0
            finally:
                os._exit(code)
    finally:
        lock.release()
    code = wait_child(pid, timeout=10)
    assert code is not None, "child hung"
    assert code == 0
