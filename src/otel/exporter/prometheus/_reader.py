"""``PrometheusMetricReader`` (a pull reader) and the registry a scrape renders.

A scrape calls ``CollectorRegistry.render(accept)``: every registered reader collects
(cumulative) and translates into one :class:`Exposition`; in prefork mode
(``OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR``) this process's families are written to its file
and merged with the other processes' files; the result is encoded in the format the
``Accept`` header prefers. Nothing here runs on the path that records measurements.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from otel._log import get_logger
from otel.exporter.prometheus._encode import (
    OPENMETRICS_CONTENT_TYPE,
    TEXT_CONTENT_TYPE,
    encode,
)
from otel.exporter.prometheus._model import Exposition
from otel.exporter.prometheus._multiproc import (
    MULTIPROC_DIR_ENV,
    MULTIPROC_INTERVAL_ENV,
    MultiprocessDirectory,
)
from otel.exporter.prometheus._translate import Translator
from otel.sdk.config import env_float, env_str
from otel.sdk.metrics import (
    Counter,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from otel.sdk.metrics import Gauge as GaugeInstrument
from otel.sdk.metrics.export import AggregationTemporality, MetricReader, MetricsData

_logger = get_logger("otel.exporter.prometheus")

_CUMULATIVE = AggregationTemporality.CUMULATIVE
_SCRAPE_TIMEOUT_MILLIS = 10_000.0
DEFAULT_INTERVAL_MILLIS = 5000.0  # prefork snapshots: staleness of other workers vs CPU


def wants_openmetrics(accept: str | None) -> bool:
    """True when ``accept`` prefers OpenMetrics 1.0 text over the 0.0.4 text format."""
    if not accept:
        return False
    best_om = best_text = 0.0
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        quality, version = 1.0, None
        for param in params:
            key, _, value = param.strip().partition("=")
            key = key.strip().lower()
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
            elif key == "version":
                version = value.strip()
        if media == "application/openmetrics-text":
            if version in (None, "1.0.0", "0.0.1"):
                best_om = max(best_om, quality)
        elif media in ("text/plain", "text/*", "*/*"):
            best_text = max(best_text, quality)
    return best_om > 0 and best_om >= best_text


class CollectorRegistry:
    """The readers one endpoint exposes (``REGISTRY`` is the default one).

    Thread-safe: scrapes may run concurrently (each reader collects under its own lock).
    ``render`` never raises for a reader's failure: that reader is skipped and the error
    logged.
    """

    def __init__(self) -> None:
        self._readers: list[PrometheusMetricReader] = []
        self._lock = threading.Lock()
        self._multiproc: MultiprocessDirectory | None = None
        self._multiproc_checked = False
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()
        ref = weakref.ref(self)

        def after_fork() -> None:
            registry = ref()
            if registry is not None:
                registry._after_fork_in_child()

        def at_exit() -> None:
            registry = ref()
            if registry is not None:
                registry._at_exit()

        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=after_fork)
        atexit.register(at_exit)

    def register(self, reader: PrometheusMetricReader) -> None:
        with self._lock:
            if reader not in self._readers:
                self._readers = [*self._readers, reader]
        self._start_multiproc()
        if self._multiproc is not None and (self._writer is None or not self._writer.is_alive()):
            self._start_writer()

    def unregister(self, reader: PrometheusMetricReader) -> None:
        """Stop exposing ``reader``; the snapshot thread stops with the last reader."""
        with self._lock:
            self._readers = [r for r in self._readers if r is not reader]
            if not self._readers:
                self._stop.set()

    # --- scrape ----------------------------------------------------------------------------

    def collect_own(self, timeout_millis: float = _SCRAPE_TIMEOUT_MILLIS) -> Exposition:
        """This process's families: every registered reader collected and translated."""
        exposition = Exposition()
        for reader in self._readers:
            try:
                reader._contribute(exposition, timeout_millis)
            except Exception:  # a broken reader must not break the endpoint
                _logger.exception("Prometheus: collecting %r failed", reader)
        return exposition

    def exposition(self, timeout_millis: float = _SCRAPE_TIMEOUT_MILLIS) -> Exposition:
        """What a scrape shows: this process's families, merged with the other workers'."""
        own = self.collect_own(timeout_millis)
        directory = self._multiproc
        if directory is None:
            return own
        families = own.to_json()
        directory.write(families)
        merged = Exposition()
        directory.merge_into(merged, families)
        return merged

    def render(self, accept: str | None = None) -> tuple[bytes, str]:
        """The body and content type of a scrape whose ``Accept`` header is ``accept``."""
        openmetrics = wants_openmetrics(accept)
        text = encode(self.exposition(), openmetrics)
        return text.encode("utf-8"), (
            OPENMETRICS_CONTENT_TYPE if openmetrics else TEXT_CONTENT_TYPE
        )

    def generate_latest(self, openmetrics: bool = False) -> bytes:
        """The current exposition in one format (text 0.0.4 unless ``openmetrics``)."""
        return encode(self.exposition(), openmetrics).encode("utf-8")

    # --- prefork ---------------------------------------------------------------------------

    def _start_multiproc(self) -> None:
        if self._multiproc_checked:
            return
        self._multiproc_checked = True
        directory = env_str(MULTIPROC_DIR_ENV)
        if directory is None:
            return
        if not os.path.isdir(directory):
            _logger.error(
                "%s=%s is not a directory; each process exposes only its own metrics",
                MULTIPROC_DIR_ENV,
                directory,
            )
            return
        self._multiproc = MultiprocessDirectory(directory)

    def _start_writer(self) -> None:
        interval = env_float(MULTIPROC_INTERVAL_ENV, DEFAULT_INTERVAL_MILLIS, minimum=1.0) / 1000.0
        ref = weakref.ref(self)
        stop = self._stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                registry = ref()
                if registry is None:
                    return
                registry._write_snapshot()
                del registry

        self._writer = threading.Thread(target=loop, name="otel-prometheus-snapshot", daemon=True)
        self._writer.start()

    def _write_snapshot(self) -> None:
        directory = self._multiproc
        if directory is None or not self._readers:
            return
        try:
            directory.write(self.collect_own().to_json())
        except Exception:
            _logger.exception("Prometheus multiprocess: snapshot failed")

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()
        if self._multiproc is not None:
            self._multiproc.renew()
            if self._readers:
                self._start_writer()

    def _at_exit(self) -> None:
        self._stop.set()
        self._write_snapshot()


REGISTRY = CollectorRegistry()
"""The registry readers join by default and ``start_http_server``/the apps serve."""


class PrometheusMetricReader(MetricReader):
    """A pull reader: a scrape of the endpoint serving its registry collects it.

    Same constructor as the official ``opentelemetry.exporter.prometheus`` reader:
    ``disable_target_info`` drops the ``target_info`` family, ``prefix`` is prepended to
    every metric name (``prefix_name``), ``scope_info_enabled=False`` drops the
    ``otel_scope_name``/``otel_scope_version`` labels, ``resource_attribute_filter``
    picks resource attributes copied as labels onto every series, ``registry`` is where
    it is exposed (a registry that is not otel's — e.g. prometheus_client's — is replaced
    by ``REGISTRY`` with a warning). Temporality is always cumulative.

    Thread-safe; ``shutdown`` unregisters it.
    """

    def __init__(
        self,
        disable_target_info: bool = False,
        prefix: str = "",
        scope_info_enabled: bool = True,
        *,
        resource_attribute_filter: Callable[[str], bool] | None = None,
        registry: Any = None,
        cardinality_limits: Mapping[type, int] | None = None,
    ) -> None:
        super().__init__(
            preferred_temporality={
                cls: _CUMULATIVE
                for cls in (
                    Counter,
                    UpDownCounter,
                    Histogram,
                    GaugeInstrument,
                    ObservableCounter,
                    ObservableUpDownCounter,
                    ObservableGauge,
                )
            },
            cardinality_limits=cardinality_limits,
        )
        reserved = {"le", "quantile", "otel_scope_name", "otel_scope_version"}
        if env_str(MULTIPROC_DIR_ENV) is not None:
            reserved.add("pid")
        self._translator = Translator(
            prefix=prefix,
            scope_labels=scope_info_enabled,
            target_info=not disable_target_info,
            resource_attribute_filter=resource_attribute_filter,
            reserved=frozenset(reserved),
        )
        self._scrape_lock = threading.Lock()
        self._latest: MetricsData | None = None
        if registry is None:
            registry = REGISTRY
        elif not isinstance(registry, CollectorRegistry):
            _logger.warning(
                "PrometheusMetricReader: registry %r is not an otel registry; using "
                "otel.exporter.prometheus.REGISTRY (serve it with "
                "otel.exporter.prometheus.start_http_server)",
                registry,
            )
            registry = REGISTRY
        self._registry: CollectorRegistry = registry
        registry.register(self)

    def _after_fork_locks(self) -> None:
        self._scrape_lock = threading.Lock()

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        self._latest = metrics_data

    def _contribute(self, exposition: Exposition, timeout_millis: float) -> None:
        """Collect now and add the translated families to ``exposition``."""
        if self._collect is None:  # not (or no longer) registered with a MeterProvider
            return
        with self._scrape_lock:
            self._latest = None
            self.collect(timeout_millis)
            data, self._latest = self._latest, None
            if data is not None:
                self._translator.translate(data, exposition)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self._registry.unregister(self)
        self._set_collect_callback(None)
