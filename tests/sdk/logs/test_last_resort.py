"""otel's own diagnostics reach stderr when the application's only handler is otel's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_FAILING_EXPORT = """
import logging
from otel.sdk._logs import LoggerProvider, LoggingHandler
from otel.sdk._logs.export import LogExporter, LogExportResult, SimpleLogRecordProcessor

class Failing(LogExporter):
    def export(self, batch):
        return LogExportResult.FAILURE
    def shutdown(self):
        pass

provider = LoggerProvider()
provider.add_log_record_processor(SimpleLogRecordProcessor(Failing()))
logging.getLogger().addHandler(LoggingHandler(logger_provider=provider))
{extra}
for i in range(3):
    logging.getLogger("app").warning("record %d", i)
print("done")
"""


def _run(tmp_path: Path, extra: str = "") -> subprocess.CompletedProcess[str]:
    script = tmp_path / "app.py"
    script.write_text(_FAILING_EXPORT.format(extra=extra))
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )


def test_failed_log_export_is_reported_on_stderr_when_only_otel_handles_logging(
    tmp_path: Path,
) -> None:
    proc = _run(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "done\n"
    assert proc.stderr.count("Failing failed to export 1 log records") == 3, proc.stderr


def test_diagnostic_goes_to_the_application_handler_when_there_is_one(tmp_path: Path) -> None:
    extra = "logging.getLogger('otel').addHandler(logging.StreamHandler(__import__('sys').stdout))"
    proc = _run(tmp_path, extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Failing failed to export 1 log records") == 3
    assert "failed to export" not in proc.stderr


def test_two_logging_handlers_print_each_diagnostic_once(tmp_path: Path) -> None:
    extra = "logging.getLogger('app').addHandler(LoggingHandler(logger_provider=provider))"
    proc = _run(tmp_path, extra)
    assert proc.returncode == 0, proc.stderr
    # each record goes through both handlers (two failed exports per record), each
    # failure is printed exactly once
    assert proc.stderr.count("Failing failed to export 1 log records") == 6, proc.stderr
