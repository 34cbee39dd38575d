"""OTEL_EXPORTER_OTLP_* resolution: precedence, path appending, units."""

from __future__ import annotations

import pytest

from otel.exporter.otlp import _config
from otel.exporter.otlp._config import Compression

_ALL = [
    f"OTEL_EXPORTER_OTLP_{signal}{option}"
    for signal in ("", "TRACES_", "METRICS_", "LOGS_")
    for option in (
        "ENDPOINT",
        "HEADERS",
        "COMPRESSION",
        "TIMEOUT",
        "PROTOCOL",
        "CERTIFICATE",
        "CLIENT_KEY",
        "CLIENT_CERTIFICATE",
        "INSECURE",
    )
] + [_config.TEMPORALITY_ENV, _config.HISTOGRAM_AGGREGATION_ENV]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ALL:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("signal", ["traces", "metrics", "logs"])
def test_default_http_endpoint(signal: str) -> None:
    assert _config.http_endpoint(signal) == f"http://localhost:4318/v1/{signal}"


@pytest.mark.parametrize("base", ["http://collector:4318", "http://collector:4318/"])
def test_generic_endpoint_gets_the_signal_path_appended(
    monkeypatch: pytest.MonkeyPatch, base: str
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", base)
    assert _config.http_endpoint("metrics") == "http://collector:4318/v1/metrics"


def test_generic_endpoint_with_a_path_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw.example/otlp")
    assert _config.http_endpoint("logs") == "https://gw.example/otlp/v1/logs"


def test_per_signal_endpoint_is_used_as_is_and_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom")
    assert _config.http_endpoint("traces") == "http://traces:9999/custom"
    assert _config.http_endpoint("metrics") == "http://generic:4318/v1/metrics"


def test_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env/v1/traces")
    assert _config.http_endpoint("traces", "http://arg/x") == "http://arg/x"


def test_grpc_endpoint_has_no_path_appended(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.grpc_endpoint("traces") == "http://localhost:4317"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")
    assert _config.grpc_endpoint("traces") == "http://collector:4317"


def test_headers_are_percent_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b,tenant=t1")
    assert _config.headers("traces") == {"api-key": "a b", "tenant": "t1"}


def test_per_signal_headers_replace_generic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "a=1")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_LOGS_HEADERS", "b=2")
    assert _config.headers("logs") == {"b": "2"}
    assert _config.headers("traces") == {"a": "1"}


def test_header_argument_as_dict_or_string() -> None:
    assert _config.headers("traces", {"k": "v"}) == {"k": "v"}
    assert _config.headers("traces", "k=v,x=y") == {"k": "v", "x": "y"}


def test_compression_from_env_and_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.compression("traces") is Compression.NoCompression
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
    assert _config.compression("traces") is Compression.Gzip
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none")
    assert _config.compression("traces") is Compression.NoCompression
    assert _config.compression("traces", "gzip") is Compression.Gzip
    assert _config.compression("traces", Compression.Deflate) is Compression.Deflate


def test_unknown_compression_warns_and_sends_plain(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli")
    assert _config.compression("metrics") is Compression.NoCompression
    assert "brotli" in caplog.text


def test_timeout_env_is_milliseconds_argument_is_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.timeout_seconds("traces") == 10.0
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "2500")
    assert _config.timeout_seconds("traces") == 2.5
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "500")
    assert _config.timeout_seconds("traces") == 0.5
    assert _config.timeout_seconds("metrics") == 2.5
    assert _config.timeout_seconds("traces", 3) == 3.0


def test_invalid_timeout_falls_back_to_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")
    assert _config.timeout_seconds("traces") == 10.0


def test_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.protocol("traces") == "http/protobuf"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc")
    assert _config.protocol("traces") == "http/json"
    assert _config.protocol("metrics") == "grpc"


def test_certificate_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_CERTIFICATE", "/ca.pem")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "/key.pem")
    assert _config.file_option("traces", "CERTIFICATE") == "/ca.pem"
    assert _config.file_option("traces", "CLIENT_KEY") == "/key.pem"
    assert _config.file_option("metrics", "CLIENT_KEY") is None


def test_insecure(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.insecure("traces") is False
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_INSECURE", "true")
    assert _config.insecure("traces") is True
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "false")
    assert _config.insecure("traces") is False


@pytest.mark.parametrize(
    ("preference", "counter", "updown", "histogram", "observable_counter"),
    [
        ("cumulative", "cumulative", "cumulative", "cumulative", "cumulative"),
        ("delta", "delta", "cumulative", "delta", "delta"),
        ("lowmemory", "delta", "cumulative", "delta", "cumulative"),
    ],
)
def test_temporality_preference_table(
    preference: str, counter: str, updown: str, histogram: str, observable_counter: str
) -> None:
    plan = _config.temporality_plan(preference)
    assert plan["Counter"] == counter
    assert plan["UpDownCounter"] == updown
    assert plan["Histogram"] == histogram
    assert plan["ObservableCounter"] == observable_counter
    assert plan["ObservableUpDownCounter"] == "cumulative"


def test_temporality_preference_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.temporality_preference_name() == "cumulative"
    monkeypatch.setenv(_config.TEMPORALITY_ENV, "LowMemory")
    assert _config.temporality_preference_name() == "lowmemory"
    monkeypatch.setenv(_config.TEMPORALITY_ENV, "sometimes")
    assert _config.temporality_preference_name() == "cumulative"


def test_default_histogram_aggregation_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config.histogram_aggregation_name() == "explicit_bucket_histogram"
    monkeypatch.setenv(_config.HISTOGRAM_AGGREGATION_ENV, "base2_exponential_bucket_histogram")
    assert _config.histogram_aggregation_name() == "base2_exponential_bucket_histogram"
