"""``otel run`` end to end: unmodified programs export spans, metrics and logs over OTLP."""

from __future__ import annotations

import subprocess
import sys

from zerocode_kit import (
    APPS,
    BIN,
    Receiver,
    attributes,
    log_records,
    metric_names,
    otel_env,
    spans_of,
    wait_for,
)


def run(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=APPS, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_script_spans_metrics_and_logs_reach_the_otlp_receiver(receiver: Receiver) -> None:
    env = otel_env(
        receiver,
        OTEL_SERVICE_NAME="script-svc",
        OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED="true",
    )
    done = run([str(BIN / "otel"), "run", "--", sys.executable, "script_app.py"], env)
    assert done.returncode == 0, done.stderr
    assert "script done" in done.stderr
    found = spans_of(receiver)
    names = sorted(span.name for _, span in found)
    assert names == ["CREATE t", "SELECT t", "work"]
    assert {resource["service.name"] for resource, _ in found} == {"script-svc"}
    work = next(span for _, span in found if span.name == "work")
    select = next(span for _, span in found if span.name == "SELECT t")
    assert select.parent_span_id == work.span_id
    assert attributes(select)["db.system.name"] == "sqlite"
    assert "db.client.operation.duration" in metric_names(receiver)
    (record,) = [r for r in log_records(receiver) if r.body.string_value == "inside the work span"]
    assert record.trace_id == work.trace_id
    assert record.span_id == work.span_id


def test_otel_run_without_separator_runs_the_program(receiver: Receiver) -> None:
    env = otel_env(receiver)
    done = run([str(BIN / "otel"), "run", sys.executable, "script_app.py"], env)
    assert done.returncode == 0, done.stderr
    assert "work" in {span.name for _, span in spans_of(receiver)}


def test_official_command_line_with_console_exporter() -> None:
    env = otel_env(Receiver(port=9))
    done = run(
        [
            str(BIN / "otel-instrument"),
            "--traces_exporter", "console",
            "--metrics_exporter", "none",
            "--logs_exporter", "none",
            "--service_name", "x",
            "python", "script_app.py",
        ],
        env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"name": "work"' in done.stdout
    assert '"service.name": "x"' in done.stdout


def test_disabled_instrumentation_is_not_applied(receiver: Receiver) -> None:
    env = otel_env(receiver, OTEL_PYTHON_DISABLED_INSTRUMENTATIONS="sqlite3")
    done = run([str(BIN / "otel"), "run", "--", sys.executable, "script_app.py"], env)
    assert done.returncode == 0, done.stderr
    assert [span.name for _, span in spans_of(receiver)] == ["work"]


def test_missing_exporter_is_one_clear_line_and_the_program_still_runs(
    receiver: Receiver,
) -> None:
    env = otel_env(receiver, OTEL_TRACES_EXPORTER="otlp,nosuch")
    done = run([str(BIN / "otel"), "run", "--", sys.executable, "script_app.py"], env)
    assert done.returncode == 0
    assert "otel: traces: unknown traces exporter 'nosuch'" in done.stderr
    assert wait_for(lambda: spans_of(receiver), timeout=5)


def test_unknown_command_exits_127() -> None:
    done = run([str(BIN / "otel"), "run", "--", "no-such-program-xyz"], otel_env(Receiver(9)))
    assert done.returncode == 127
    assert "command not found" in done.stderr


def test_exit_code_of_the_program_is_kept(receiver: Receiver) -> None:
    done = run(
        [str(BIN / "otel"), "run", "--", sys.executable, "-c", "raise SystemExit(3)"],
        otel_env(receiver),
    )
    assert done.returncode == 3
