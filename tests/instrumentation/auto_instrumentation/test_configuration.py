"""``otel.sdk._configuration`` and the ``otel run`` option parsing, in process."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

import pytest

from _support.wait import wait_child
from otel import trace
from otel.instrumentation.auto_instrumentation import _cli
from otel.sdk._configuration import Gate, SdkComponents, configure_sdk, exporter_names
from otel.sdk._configuration._configure import _refresh_resources_after_fork
from otel.sdk.trace.export import SpanExportResult


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for key in list(os.environ):
        if key.startswith("OTEL_"):
            monkeypatch.delenv(key)
    yield monkeypatch


def _shutdown(components: SdkComponents) -> None:
    for provider in (
        components.tracer_provider,
        components.meter_provider,
        components.logger_provider,
    ):
        if provider is not None:
            provider.shutdown()


def test_exporter_names_default_to_otlp_and_none_means_nothing(
    clean_env: pytest.MonkeyPatch,
) -> None:
    assert exporter_names("traces") == ["otlp"]
    clean_env.setenv("OTEL_METRICS_EXPORTER", "none")
    assert exporter_names("metrics") == []
    clean_env.setenv("OTEL_LOGS_EXPORTER", " Console , otlp,console ")
    assert exporter_names("logs") == ["console", "otlp"]


def test_configure_sdk_sets_global_providers_with_service_name(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("OTEL_TRACES_EXPORTER", "console")
    clean_env.setenv("OTEL_METRICS_EXPORTER", "none")
    clean_env.setenv("OTEL_LOGS_EXPORTER", "none")
    clean_env.setenv("OTEL_SERVICE_NAME", "checkout")
    components = configure_sdk()
    try:
        assert trace.get_tracer_provider() is components.tracer_provider
        assert components.tracer_provider.resource.attributes["service.name"] == "checkout"
        assert len(components.gates) == 1
    finally:
        _shutdown(components)


def test_unavailable_exporter_is_reported_in_one_line_and_skipped(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("OTEL_TRACES_EXPORTER", "jaeger_nope,console")
    clean_env.setenv("OTEL_METRICS_EXPORTER", "none")
    clean_env.setenv("OTEL_LOGS_EXPORTER", "none")
    components = configure_sdk()
    try:
        assert len(components.gates) == 1
    finally:
        _shutdown(components)
    assert capsys.readouterr().err == "otel: traces: unknown traces exporter 'jaeger_nope'\n"


def test_sdk_disabled_configures_nothing(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OTEL_SDK_DISABLED", "true")
    components = configure_sdk()
    assert components.tracer_provider is None


def test_closed_gate_reports_success_and_sends_nothing() -> None:
    sent: list[object] = []

    class Exporter:
        _preferred_temporality = {"x": 1}

        def export(self, batch: object) -> SpanExportResult:
            sent.append(batch)
            return SpanExportResult.SUCCESS

    gate = Gate(Exporter(), SpanExportResult.SUCCESS)
    gate.export(["a"])
    gate.close()
    assert gate.export(["b"]) is SpanExportResult.SUCCESS
    assert sent == [["a"]]
    assert gate._preferred_temporality == {"x": 1}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")  # 3.12+: threads + fork
def test_forked_child_gets_its_own_instance_id_in_every_provider(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("OTEL_TRACES_EXPORTER", "none")
    clean_env.setenv("OTEL_METRICS_EXPORTER", "none")
    clean_env.setenv("OTEL_LOGS_EXPORTER", "none")
    components = configure_sdk()
    tracer = components.tracer_provider.get_tracer("t")
    before = components.tracer_provider.resource.attributes["service.instance.id"]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            ids = {
                str(components.tracer_provider.resource.attributes["service.instance.id"]),
                str(components.meter_provider.resource.attributes["service.instance.id"]),
                str(components.logger_provider.resource.attributes["service.instance.id"]),
                str(tracer.resource.attributes["service.instance.id"]),
            }
            os.write(write, ",".join(sorted(ids)).encode())
        finally:
            os._exit(0)
    os.close(write)
    assert wait_child(pid, 10) == 0
    child_ids = os.read(read, 1000).decode().split(",")
    os.close(read)
    _shutdown(components)
    assert len(child_ids) == 1
    assert child_ids[0] != before


def test_refresh_ignores_components_without_providers() -> None:
    _refresh_resources_after_fork(SdkComponents())


def _parse(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    monkeypatch.setattr(sys, "argv", ["otel", "run", *argv])
    parser = argparse.ArgumentParser()
    _cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_options_become_otel_variables_and_bootstrap_goes_first_on_pythonpath(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = _parse(
        ["--traces_exporter", "console", "--service_name=x", "--", "python", "app.py", "-v"],
        monkeypatch,
    )
    env = _cli.child_environment(args, {"PYTHONPATH": "/app/lib"})
    assert env["OTEL_TRACES_EXPORTER"] == "console"
    assert env["OTEL_SERVICE_NAME"] == "x"
    assert env["PYTHONPATH"] == f"{_cli.bootstrap_dir()}{os.pathsep}/app/lib"
    assert args.program[-3:] == ["python", "app.py", "-v"]


def test_any_lowercase_variable_option_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    args = _parse(["--exporter_foo_bar", "1", "python", "app.py"], monkeypatch)
    env = _cli.child_environment(args, {})
    assert env["OTEL_EXPORTER_FOO_BAR"] == "1"
    assert args.program == ["python", "app.py"]


def test_program_options_are_not_taken_for_otel_options(monkeypatch: pytest.MonkeyPatch) -> None:
    args = _parse(["python", "app.py", "--service_name", "not-ours"], monkeypatch)
    env = _cli.child_environment(args, {})
    assert "OTEL_SERVICE_NAME" not in env
    assert args.program == ["python", "app.py", "--service_name", "not-ours"]


def test_no_program_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cli.main(_parse([], monkeypatch)) == 2


@pytest.mark.parametrize(
    ("signal", "name"),
    [
        ("traces", "jaeger"),
        ("traces", "zipkin"),
        ("traces", "otlp"),
        ("metrics", "prometheus"),
        ("metrics", "console"),
        ("logs", "otlp"),
        ("logs", "console"),
    ],
)
def test_every_documented_exporter_name_starts(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signal: str, name: str
) -> None:
    for other in ("traces", "metrics", "logs"):
        clean_env.setenv(f"OTEL_{other.upper()}_EXPORTER", name if other == signal else "none")
    clean_env.setenv("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1")
    clean_env.setenv("OTEL_EXPORTER_PROMETHEUS_PORT", str(_free_port()))
    components = configure_sdk()
    try:
        assert capsys.readouterr().err == ""
        if name != "prometheus":
            assert len(components.gates) == 1
    finally:
        _shutdown(components)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")  # 3.12+: threads + fork
def test_forked_child_gets_its_own_instance_id_when_the_components_were_dropped(
    clean_env: pytest.MonkeyPatch,
) -> None:
    # gunicorn --preload with an app that calls configure_sdk() and ignores the result
    clean_env.setenv("OTEL_TRACES_EXPORTER", "none")
    clean_env.setenv("OTEL_METRICS_EXPORTER", "none")
    clean_env.setenv("OTEL_LOGS_EXPORTER", "none")
    components = configure_sdk()
    provider = components.tracer_provider
    before = provider.resource.attributes["service.instance.id"]
    del components
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.write(write, str(provider.resource.attributes["service.instance.id"]).encode())
        finally:
            os._exit(0)
    os.close(write)
    assert wait_child(pid, 10) == 0
    child_id = os.read(read, 1000).decode()
    os.close(read)
    provider.shutdown()
    assert child_id and child_id != before
