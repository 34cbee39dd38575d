"""``otel demo`` command line: arguments and the one-line error when a port is taken."""

from __future__ import annotations

import argparse
import socket

import pytest

from otel.demo import _cli
from otel.testing import free_port


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    _cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_match_the_guide_ports_and_bound_the_traffic() -> None:
    args = _args()
    assert (args.ui_port, args.otlp_http_port) == (16686, 4318)
    assert (args.otlp_grpc_port, args.jaeger_udp_port, args.zipkin_port) == (0, 0, 0)
    assert args.requests > 0 and args.duration > 0 and not args.no_browser


def test_a_taken_ui_port_is_one_clear_line_and_exit_status_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = _cli.main(
            _args("--ui-port", str(port), "--otlp-http-port", str(free_port()), "--no-browser")
        )
    err = capsys.readouterr().err
    assert code == 1
    assert f"port {port}" in err and "--ui-port" in err
    assert len(err.strip().splitlines()) == 1
