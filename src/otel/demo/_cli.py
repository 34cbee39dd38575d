"""``otel demo``: start the viewer and the instrumented shop, drive traffic, serve until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import webbrowser
from types import FrameType

from otel.demo._runner import Demo, DemoError, DemoOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = DemoOptions()
    parser.add_argument("--host", default=d.host, help="interface for every listener")
    parser.add_argument("--ui-port", type=int, default=d.ui_port, help="viewer UI port")
    parser.add_argument("--otlp-http-port", type=int, default=d.otlp_http_port)
    parser.add_argument("--otlp-grpc-port", type=int, default=d.otlp_grpc_port, help="0: off")
    parser.add_argument("--jaeger-udp-port", type=int, default=d.jaeger_udp_port, help="0: off")
    parser.add_argument("--zipkin-port", type=int, default=d.zipkin_port, help="0: off")
    parser.add_argument("--db", default=d.db, help="viewer database (default: in memory)")
    parser.add_argument("--shop-port", type=int, default=d.shop_port, help="0: any free port")
    parser.add_argument("--payments-port", type=int, default=d.payments_port)
    parser.add_argument(
        "--requests", type=int, default=d.requests, help="requests the traffic sends in all"
    )
    parser.add_argument(
        "--duration", type=float, default=d.duration_s, help="seconds the traffic lasts"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")


def _say(message: str) -> None:
    print(f"otel demo: {message}", flush=True)


def main(args: argparse.Namespace) -> int:
    options = DemoOptions(
        host=args.host,
        ui_port=args.ui_port,
        otlp_http_port=args.otlp_http_port,
        otlp_grpc_port=args.otlp_grpc_port,
        jaeger_udp_port=args.jaeger_udp_port,
        zipkin_port=args.zipkin_port,
        db=args.db,
        shop_port=args.shop_port,
        payments_port=args.payments_port,
        requests=max(0, args.requests),
        duration_s=max(0.0, args.duration),
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    demo = Demo(options)
    try:
        try:
            demo.start()
        except DemoError as exc:
            print(f"otel demo: {exc}", file=sys.stderr, flush=True)
            return 1
        _say(f"viewer UI at {demo.ui_url}   <- open this")
        _say(f"shop at {demo.shop_url}, payments at {demo.payments_url}")
        _say(
            f"sending {options.requests} requests over about {options.duration_s:g} s "
            "(checkouts, an N+1 order list, a declined card); Ctrl-C stops"
        )
        if not args.no_browser:
            opener = threading.Timer(1.0, webbrowser.open, (demo.ui_url,))
            opener.daemon = True
            opener.start()
        while not stop.is_set():
            if demo.traffic_done(0.2):
                s = demo.stats
                _say(f"traffic done: {s.sent} requests, {s.failed} answered with an error")
                _say(f"still serving {demo.ui_url} - Ctrl-C to stop")
                stop.wait()
        _say("stopping")
        return 0
    finally:
        demo.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
