"""``otel view``: receive telemetry (OTLP, Jaeger, Zipkin), keep it, browse it (port 16686)."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from types import FrameType

from otel.viewer._app import default_db_path, start_viewer
from otel.viewer._store._interface import Retention

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SIZES = {
    "b": 1,
    "k": 1 << 10,
    "kb": 1 << 10,
    "kib": 1 << 10,
    "m": 1 << 20,
    "mb": 1 << 20,
    "mib": 1 << 20,
    "g": 1 << 30,
    "gb": 1 << 30,
    "gib": 1 << 30,
    "t": 1 << 40,
    "tb": 1 << 40,
    "tib": 1 << 40,
}


def parse_retention(text: str) -> Retention:
    """``7d``, ``1GiB``, ``7d,1GiB`` or ``12h,500MB``: an age, a size, or both (comma)."""
    retention = Retention()
    for part in text.split(","):
        part = part.strip().lower()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]*)", part)
        if m is None:
            raise argparse.ArgumentTypeError(
                f"invalid retention {part!r}: use e.g. 7d, 1GiB, 7d,1GiB"
            )
        number, unit = float(m.group(1)), m.group(2)
        if unit in _UNITS:
            retention.max_age_seconds = number * _UNITS[unit]
        elif unit in _SIZES:
            retention.max_bytes = int(number * _SIZES[unit])
        else:
            raise argparse.ArgumentTypeError(f"invalid retention unit {unit!r} in {part!r}")
    return retention


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--ui-port", type=_port, default=16686, help="web UI and JSON API (16686)")
    parser.add_argument(
        "--otlp-http-port", type=_port, default=4318, help="OTLP/HTTP receiver (4318)"
    )
    parser.add_argument(
        "--otlp-grpc-port", type=_port, default=4317, help="OTLP/gRPC receiver (4317, needs grpcio)"
    )
    parser.add_argument(
        "--jaeger-udp-port", type=_port, default=6831, help="Jaeger Thrift compact over UDP (6831)"
    )
    parser.add_argument(
        "--zipkin-port", type=_port, default=9411, help="Zipkin v2 JSON receiver (9411)"
    )
    parser.add_argument(
        "--db",
        default=None,
        help=f"SQLite file to keep telemetry in (default {default_db_path()});"
        " ':memory:' keeps nothing",
    )
    parser.add_argument(
        "--retention",
        type=parse_retention,
        default=Retention(),
        help="how long/how much to keep: an age (7d), a size (1GiB) or both (7d,1GiB; the default)",
    )
    parser.epilog = "A port of 0 disables that listener."


def main(args: argparse.Namespace) -> int:
    db = args.db or default_db_path()
    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    # before anything starts, so a stop request during start-up is never lost
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        viewer = start_viewer(
            host=args.host,
            ui_port=args.ui_port,
            otlp_http_port=args.otlp_http_port,
            otlp_grpc_port=args.otlp_grpc_port,
            jaeger_udp_port=args.jaeger_udp_port,
            zipkin_port=args.zipkin_port,
            db=db,
            retention=args.retention,
        )
    except Exception as exc:
        print(f"otel view: cannot open the store {db!r}: {exc}", file=sys.stderr)
        return 1
    for problem in viewer.problems:
        print(f"otel view: {problem}", file=sys.stderr)
    names = {
        "otlp_http": "OTLP/HTTP   http://{host}:{port}/v1/traces (metrics, logs)",
        "otlp_grpc": "OTLP/gRPC   {host}:{port}",
        "jaeger_udp": "Jaeger      udp://{host}:{port} (Thrift compact)",
        "zipkin": "Zipkin      http://{host}:{port}/api/v2/spans",
    }
    for name, port in viewer.ports.items():
        if name in names:
            print("otel view: " + names[name].format(host=args.host, port=port))
    print(f"otel view: store       {db}")
    if viewer.ui_url:
        print(f"otel view: UI          {viewer.ui_url}")
    sys.stdout.flush()
    if not viewer.ports:
        print("otel view: no listener started", file=sys.stderr)
        viewer.stop()
        return 1
    try:
        while not done.wait(1.0):
            pass
    finally:
        print("otel view: stopping", file=sys.stderr)
        viewer.stop()
    return 0
