"""``otel view`` as a process: listener lines, a taken port, clean stop on SIGTERM."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from viewer_kit import read_until, start_cli, stop

from otel.testing import free_port
from otel.viewer._cli import parse_retention


def test_taken_port_is_reported_in_one_line_and_the_others_start(tmp_path: Path) -> None:
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    taken = blocker.getsockname()[1]
    ui = free_port()
    proc = start_cli(
        "--ui-port",
        str(ui),
        "--otlp-http-port",
        str(taken),
        "--otlp-grpc-port",
        "0",
        "--jaeger-udp-port",
        "0",
        "--zipkin-port",
        "0",
        db=tmp_path / "v.db",
    )
    try:
        lines = read_until(proc, "UI")
        problems = [line for line in lines if "not started" in line]
        assert len(problems) == 1 and str(taken) in problems[0]
        assert any(f"http://127.0.0.1:{ui}/" in line for line in lines)
    finally:
        stop(proc)
        blocker.close()
    assert proc.returncode == 0


def test_sigterm_stops_cleanly_and_the_database_opens(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "v.db"
    proc = start_cli(
        "--ui-port",
        str(free_port()),
        "--otlp-http-port",
        str(free_port()),
        "--otlp-grpc-port",
        "0",
        "--jaeger-udp-port",
        "0",
        "--zipkin-port",
        "0",
        db=db,
    )
    read_until(proc, "UI")
    assert stop(proc) == 0
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    ("text", "age", "size"),
    [("7d", 7 * 86400, 1 << 30), ("500MB", 7 * 86400, 500 << 20), ("12h,2GiB", 12 * 3600, 2 << 30)],
)
def test_retention_flag_takes_an_age_a_size_or_both(text: str, age: float, size: int) -> None:
    r = parse_retention(text)
    assert (r.max_age_seconds, r.max_bytes) == (age, size)


def test_bad_retention_is_refused() -> None:
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_retention("forever")
