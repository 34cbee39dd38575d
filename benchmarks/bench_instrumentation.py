"""What the HTTP instrumentations add to each request, otel vs the official contrib packages.

Both sides run the same Flask app and the same ``requests`` call, with their SDK
configured the same way (a TracerProvider whose BatchSpanProcessor feeds an exporter that
drops everything, a MeterProvider with an in-memory reader).

- Flask: the WSGI app called directly with a prepared environ (a traceparent header,
  as a request from another traced service has), the body read and closed; a plain and
  an instrumented app side by side. With ``--server`` each worker serves both apps with
  werkzeug's HTTP/1.1 server on 127.0.0.1 and calls them over one keep-alive
  ``http.client`` connection, timed in process CPU (the server thread does the work).
- requests: ``Session.get`` (``trust_env`` off) through a transport adapter that
  answers at once (no socket), so the figure is the instrumentation's own cost; or, with
  ``--server``, against one small HTTP/1.1 keep-alive server on 127.0.0.1 that both
  sides share. The instrumentation is switched on and off between timed phases.

Two ways to run it:

``_harness.py instrumentation`` (``make bench ARGS=instrumentation``): each side in its
own interpreter, one after the other; each reports the thread-CPU ns its
instrumentation adds (median over sandwich rounds, see below). The two sides run at
different moments of a shared machine, so their ratio moves with the load; the
``paired`` row runs the paired measurement below and reports its median ratio.

``bench_instrumentation.py paired`` (the robust figure): one worker process per side
(otel in ``.venv``, official in ``benchmarks/.venv-official-contrib``), both alive for
the whole run. The parent asks them in turn (order swapped every round) for one short
round each: ``calls/2`` uninstrumented, ``calls`` instrumented, ``calls/2``
uninstrumented calls (a sandwich: a load change during the round hits both sides of the
difference alike), timed in thread CPU and in wall time. Each round gives the ns each
side adds per call; the ratio otel/official of the *same* round compares two
measurements taken seconds apart, and the median over the rounds is reported::

    .venv/bin/python benchmarks/bench_instrumentation.py paired [--rounds 30]
        [--calls 400] [--case requests|flask] [--server] [--otel-src DIR] [--json FILE]
    .venv/bin/python benchmarks/bench_instrumentation.py opcodes [--otel-src DIR]
        [--case requests|flask] [--parent] [--server]
    .venv/bin/python benchmarks/bench_instrumentation.py collections [--case C] [--server]

``--otel-src`` runs the otel side from another source tree (``git archive`` of an
older commit's ``src``), to compare before and after in one session. ``opcodes``
counts the bytecodes (``sys.settrace``) one instrumented ``Session.get`` executes
beyond an uninstrumented one: the figure that does not move with the load (``--parent``:
inside a sampled span; ``--server``: against the 127.0.0.1 server). ``collections``
counts garbage collections per 1000 calls, plain and instrumented: what each request
leaves for the cyclic collector. ``--server`` runs
60 rounds unless told; each summary gives the quartiles of the per-round ratios and the
95% interval of their median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import Case  # noqa: E402

# the official contrib instrumentations pin SDK 1.45.1: they live in their own venv
OFFICIAL_VENV = ".venv-official-contrib"
PYTHONS = {
    "otel": HERE.parent / ".venv" / "bin" / "python",
    "official": HERE / OFFICIAL_VENV / "bin" / "python",
}

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _sdk(prefix: str) -> None:
    """Global tracer and meter providers, the same configuration on both sides."""
    if prefix == "otel":
        from otel import metrics, trace
        from otel.sdk.metrics import MeterProvider
        from otel.sdk.metrics.export import InMemoryMetricReader
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
    else:
        from opentelemetry import metrics, trace  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics.export import (  # type: ignore[no-redef]
            InMemoryMetricReader,
        )
        from opentelemetry.sdk.trace import TracerProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export import (  # type: ignore[no-redef]
            BatchSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )

    class Drop(SpanExporter):  # type: ignore[misc, valid-type]
        def export(self, spans: Any) -> Any:
            return SpanExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(Drop()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))


# A subject: (plain call, instrumented call, switch instrumentation on, switch it off).
Subject = tuple[Callable[[], object], Callable[[], object], Callable[[], None], Callable[[], None]]


def _nothing() -> None:
    pass


def _flask_subject(prefix: str, server: bool = False) -> Subject:
    """The app called as a WSGI callable with a prepared environ, or (``server``)
    served by werkzeug's HTTP/1.1 server on 127.0.0.1 and called over one keep-alive
    connection from this process (both sides use the same server and client)."""
    import flask
    from werkzeug.test import EnvironBuilder

    _sdk(prefix)
    if prefix == "otel":
        from otel.instrumentation.flask import FlaskInstrumentor
    else:
        from opentelemetry.instrumentation.flask import (  # type: ignore[no-redef]
            FlaskInstrumentor,
        )

    def make() -> Any:
        app = flask.Flask("bench")

        @app.route("/users/<id>")
        def user(id: str) -> str:
            return "user " + id

        return app

    plain_app, instrumented_app = make(), make()
    FlaskInstrumentor().instrument_app(instrumented_app)
    if server:
        return _served(plain_app, instrumented_app)
    environ = EnvironBuilder(
        path="/users/42", headers={"traceparent": TRACEPARENT, "User-Agent": "bench"}
    ).get_environ()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        return None

    def call(wsgi: Any) -> Callable[[], object]:
        def run() -> None:
            body = wsgi(dict(environ), start_response)
            for _ in body:
                pass
            body.close()

        return run

    return call(plain_app), call(instrumented_app), _nothing, _nothing


def _served(plain_app: Any, instrumented_app: Any) -> Subject:
    """Both apps behind one werkzeug server thread (the instrumented one switched in by
    ``on``), called with ``http.client`` over one keep-alive connection."""
    import http.client

    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one connection for the whole run
        disable_nagle_algorithm = True

        def log(self, type: str, message: str, *args: Any) -> None:
            pass

    serving = [plain_app]

    def dispatch(environ: Any, start_response: Any) -> Any:
        return serving[0](environ, start_response)

    httpd = make_server("127.0.0.1", 0, dispatch, request_handler=Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", httpd.server_port)
    headers = {"traceparent": TRACEPARENT, "User-Agent": "bench"}

    def run() -> None:
        connection.request("GET", "/users/42", headers=headers)
        connection.getresponse().read()

    def on() -> None:
        serving[0] = instrumented_app

    def off() -> None:
        serving[0] = plain_app

    return run, run, on, off


def _requests_subject(prefix: str, url: str | None = None) -> Subject:
    """``Session.get`` of ``url`` (a real server), or of an adapter answering at once."""
    import requests
    from requests.adapters import BaseAdapter

    _sdk(prefix)
    if prefix == "otel":
        from otel.instrumentation.requests import RequestsInstrumentor
    else:
        from opentelemetry.instrumentation.requests import (  # type: ignore[no-redef]
            RequestsInstrumentor,
        )

    class Raw:
        version = 11

    class Answer(BaseAdapter):  # type: ignore[misc]
        def send(self, request: Any, **kwargs: Any) -> Any:
            response = requests.Response()
            response.status_code = 200
            response._content = b"ok"
            response.headers["Content-Type"] = "text/plain"
            response.raw = Raw()
            response.request = request
            response.url = request.url
            return response

        def close(self) -> None:
            pass

    session = requests.Session()
    session.trust_env = False  # no proxy/netrc lookups: less of requests' own cost and noise
    if url is None:
        session.mount("http://bench.local/", Answer())
        url = "http://bench.local/users/42"
    target = url

    def run() -> None:
        session.get(target).content  # noqa: B018 - read the body, as callers do

    # Switching by assignment, not instrument()/uninstrument() between batches: what the
    # instrumentor changes on Session, captured once, is put in place and taken out.
    instrumentor = RequestsInstrumentor()
    before = dict(vars(requests.Session))
    instrumentor.instrument()
    after = dict(vars(requests.Session))
    instrumentor.uninstrument()
    changed = [key for key in after if before.get(key) is not after[key]]

    def on() -> None:
        for key in changed:
            setattr(requests.Session, key, after[key])

    def off() -> None:
        for key in changed:
            setattr(requests.Session, key, before[key])

    return run, run, on, off


def _subject(prefix: str, case: str, url: str | None = None) -> Subject:
    if case == "flask":
        return _flask_subject(prefix, server=url is not None)
    return _requests_subject(prefix, url)


def _sandwich(
    subject: Subject, calls: int, batch: int = 20, cpu: Callable[[], int] = time.thread_time_ns
) -> dict[str, float]:
    """One round of ``calls`` plain and ``calls`` instrumented calls, in batches of
    ``batch`` alternated plain, instrumented, instrumented, plain (so a load change hits
    both kinds alike); ns per call of each kind, in CPU time (``cpu_*``: the thread's by
    default; the process's when the instrumented work runs in a server thread) and wall
    time (``wall_*``)."""
    plain, instrumented, on, off = subject
    wall = time.perf_counter_ns
    batches = max(calls // (2 * batch), 1)
    cpu_plain = wall_plain = cpu_instr = wall_instr = 0
    loop = range(batch)
    for _ in range(batches):
        c0, w0 = cpu(), wall()
        for _ in loop:
            plain()
        w1, c1 = wall(), cpu()
        on()  # between batches, outside the timed loops
        c2, w2 = cpu(), wall()
        for _ in loop:
            instrumented()
        for _ in loop:
            instrumented()
        w3, c3 = wall(), cpu()
        off()
        c4, w4 = cpu(), wall()
        for _ in loop:
            plain()
        w5, c5 = wall(), cpu()
        cpu_plain += c1 - c0 + c5 - c4
        wall_plain += w1 - w0 + w5 - w4
        cpu_instr += c3 - c2
        wall_instr += w3 - w2
    number = 2 * batch * batches
    return {
        "cpu_plain": cpu_plain / number,
        "wall_plain": wall_plain / number,
        "cpu_instr": cpu_instr / number,
        "wall_instr": wall_instr / number,
    }


def _rounds_added(subject: Subject, rounds: int, calls: int) -> float:
    """Median thread-CPU ns added per call over ``rounds`` sandwich rounds."""
    for _ in range(2):  # warm up both paths (caches, first-call imports)
        _sandwich(subject, 50)
    added = []
    for _ in range(rounds):
        row = _sandwich(subject, calls)
        added.append(row["cpu_instr"] - row["cpu_plain"])
    return max(statistics.median(added), 0.0)


def _in_span(prefix: str, call: Callable[[], object]) -> Callable[[], object]:
    """``call`` run inside a sampled span of the side's own tracer."""
    if prefix == "otel":
        from otel import trace
    else:
        from opentelemetry import trace  # type: ignore[no-redef]
    tracer = trace.get_tracer("bench.parent")

    def run() -> object:
        with tracer.start_as_current_span("parent"):
            return call()

    return run


# --- the paired measurement: one worker process per side, driven by the parent ----------


def _worker(impl: str, case: str, url: str | None) -> None:
    """Answer ``round CALLS`` lines on stdin with one JSON line of :func:`_sandwich`."""
    subject = _subject(impl, case, url)
    # a served Flask app runs in the server thread: the process's CPU time counts it
    cpu = time.process_time_ns if case == "flask" and url else time.thread_time_ns
    _sandwich(subject, 200, cpu=cpu)  # warm-up
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "round":
            break
        print(json.dumps(_sandwich(subject, int(words[1]), cpu=cpu)), flush=True)


_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


def _serve() -> None:
    """A tiny HTTP/1.1 keep-alive server on 127.0.0.1 (free port, printed on stdout)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive

        def do_GET(self) -> None:
            # one write: status line, headers and body in a single segment
            self.wfile.write(_RESPONSE)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the parent closes our stdin
    server.shutdown()


def _spawn(python: Path, args: list[str], otel_src: str | None) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("OTEL_SDK_DISABLED", None)
    if otel_src:
        env["PYTHONPATH"] = otel_src
    return subprocess.Popen(
        [str(python), str(Path(__file__)), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=HERE,
    )


def _read_line(proc: subprocess.Popen[str], what: str) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError(f"{what} exited (code {proc.wait()})")
    return line.strip()


def paired(
    rounds: int = 30,
    calls: int = 400,
    case: str = "requests",
    server: bool = False,
    otel_src: str | None = None,
) -> dict[str, Any]:
    """Run the paired rounds; returns the per-round rows and their medians."""
    procs: list[subprocess.Popen[str]] = []
    try:
        url_args: list[str] = []
        if server and case == "flask":
            url_args = ["--url", "served"]  # each worker serves its app itself (werkzeug)
        elif server:
            serve = _spawn(PYTHONS["otel"], ["--serve"], None)
            procs.append(serve)
            port = int(_read_line(serve, "server"))
            url_args = ["--url", f"http://127.0.0.1:{port}/users/42"]
        workers = {}
        for impl in ("otel", "official"):
            args = ["--worker", impl, "--case", case, *url_args]
            workers[impl] = proc = _spawn(PYTHONS[impl], args, otel_src if impl == "otel" else None)
            procs.append(proc)
        for impl, proc in workers.items():
            if _read_line(proc, impl) != "ready":
                raise RuntimeError(f"{impl} worker did not start")
        rows = []
        for number in range(rounds):
            order = ("otel", "official") if number % 2 == 0 else ("official", "otel")
            row: dict[str, float] = {}
            for impl in order:
                proc = workers[impl]
                assert proc.stdin is not None
                proc.stdin.write(f"round {calls}\n")
                proc.stdin.flush()
                result = json.loads(_read_line(proc, impl))
                for clock in ("cpu", "wall"):
                    row[f"{impl}_{clock}_plain"] = result[f"{clock}_plain"]
                    row[f"{impl}_{clock}_added"] = (
                        result[f"{clock}_instr"] - result[f"{clock}_plain"]
                    )
            for clock in ("cpu", "wall"):
                row[f"ratio_{clock}"] = row[f"otel_{clock}_added"] / max(
                    row[f"official_{clock}_added"], 1.0
                )
            rows.append(row)
    finally:
        for proc in procs:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    summary = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    for clock in ("cpu", "wall"):
        ratios = sorted(row[f"ratio_{clock}"] for row in rows)
        summary[f"ratio_{clock}_q1"] = ratios[len(ratios) // 4]
        summary[f"ratio_{clock}_q3"] = ratios[(3 * len(ratios)) // 4]
        low, high = _median_interval(len(ratios))
        summary[f"ratio_{clock}_ci_low"] = ratios[low]
        summary[f"ratio_{clock}_ci_high"] = ratios[high]
    return {"case": case, "server": server, "rounds": rows, "median": summary}


def _median_interval(n: int) -> tuple[int, int]:
    """Indexes into ``n`` sorted values that hold the median with 95% confidence
    (distribution-free: the number of values below the median is Binomial(n, 1/2))."""
    if n < 6:
        return 0, n - 1
    half_width = 0.98 * n**0.5  # 1.96 standard deviations of Binomial(n, 1/2)
    low = max(int(n / 2 - half_width), 0)
    return low, min(n - 1 - low, n - 1)


def _print_paired(result: dict[str, Any]) -> None:
    if result["case"] == "flask":
        where = "werkzeug server on 127.0.0.1, process CPU" if result["server"] else "WSGI call"
    else:
        where = "127.0.0.1 server" if result["server"] else "in-process adapter"
    print(f"{result['case']} ({where}), {len(result['rounds'])} paired rounds; ns per call")
    print(
        f"{'round':>5} {'otel +cpu':>10} {'offic +cpu':>10} {'ratio':>6}"
        f" {'otel +wall':>10} {'offic +wall':>11} {'ratio':>6} {'plain cpu':>10}"
    )
    for number, row in enumerate(result["rounds"]):
        print(
            f"{number:>5} {row['otel_cpu_added']:>10,.0f} {row['official_cpu_added']:>10,.0f}"
            f" {row['ratio_cpu']:>6.3f} {row['otel_wall_added']:>10,.0f}"
            f" {row['official_wall_added']:>11,.0f} {row['ratio_wall']:>6.3f}"
            f" {row['otel_cpu_plain']:>10,.0f}"
        )
    m = result["median"]
    for clock, label in (("cpu", "CPU"), ("wall", "wall time")):
        print(
            f"median {label}: otel adds {m[f'otel_{clock}_added']:,.0f} ns, official"
            f" {m[f'official_{clock}_added']:,.0f} ns; paired ratio median"
            f" {m[f'ratio_{clock}']:.3f} (1/{1 / max(m[f'ratio_{clock}'], 1e-9):.1f}),"
            f" quartiles {m[f'ratio_{clock}_q1']:.3f}-{m[f'ratio_{clock}_q3']:.3f},"
            f" 95% interval of the median {m[f'ratio_{clock}_ci_low']:.3f}"
            f"-{m[f'ratio_{clock}_ci_high']:.3f}"
        )


def _count_opcodes(
    impl: str, case: str = "requests", parent: bool = False, url: str | None = None
) -> dict[str, int]:
    """Bytecodes one ``Session.get`` (or Flask request, called as a WSGI app) executes,
    uninstrumented and instrumented; ``parent``: inside a sampled span, as a client
    call made while serving a request is; ``url``: ``Session.get`` of a real server."""
    plain, instrumented, on, off = _subject(impl, case, url)
    if parent:
        plain, instrumented = _in_span(impl, plain), _in_span(impl, instrumented)

    def count(fn: Callable[[], object]) -> int:
        fn()
        fn()
        seen = [0]

        def tracer(frame: Any, event: str, arg: Any) -> Any:
            frame.f_trace_opcodes = True
            if event == "opcode":
                seen[0] += 1
            return tracer

        sys.settrace(tracer)
        fn()
        sys.settrace(None)
        return seen[0]

    before = count(plain)
    on()
    after = count(instrumented)
    off()
    return {"plain": before, "instrumented": after, "added": after - before}


@contextmanager
def _url_args(case: str, server: bool, flask_args: list[str]) -> Iterator[list[str]]:
    """A child's ``--url`` arguments: with ``server``, ``requests`` against a 127.0.0.1
    server started here (stopped on exit) and Flask with ``flask_args``; none without."""
    serve = None
    try:
        if server and case == "flask":
            yield flask_args
        elif server:
            serve = _spawn(PYTHONS["otel"], ["--serve"], None)
            yield ["--url", f"http://127.0.0.1:{int(_read_line(serve, 'server'))}/users/42"]
        else:
            yield []
    finally:
        if serve is not None:
            assert serve.stdin is not None
            serve.stdin.close()
            serve.wait(timeout=30)


def _print_opcodes(case: str, parent: bool, server: bool, otel_src: str | None) -> int:
    """``opcodes`` mode: each side counted in its own interpreter (``server``: ``requests``
    against the 127.0.0.1 server, so the count includes sending the extra header)."""
    with _url_args(case, server, []) as url_args:
        for impl in ("otel", "official"):
            count_args = ["--count", impl, "--case", case, *url_args] + ["--parent"] * parent
            proc = _spawn(PYTHONS[impl], count_args, otel_src if impl == "otel" else None)
            out, _ = proc.communicate(timeout=300)
            print(impl, out.strip())
    return 0


def _print_collections(case: str, server: bool, otel_src: str | None) -> int:
    """``collections`` mode: each side in its own interpreter, one after the other."""
    with _url_args(case, server, ["--url", "served"]) as url_args:
        for impl in ("otel", "official"):
            args = ["--collections", impl, "--case", case, *url_args]
            proc = _spawn(PYTHONS[impl], args, otel_src if impl == "otel" else None)
            out, _ = proc.communicate(timeout=600)
            print(impl, "collections per 1000 calls", out.strip())
    return 0


def _count_collections(impl: str, case: str, server_url: str | None) -> dict[str, float]:
    """Garbage collections (any generation) per 1000 calls, plain and instrumented: what
    a request leaves for the collector (reference cycles, objects kept alive), a figure
    the machine's load does not move."""
    import gc

    plain, instrumented, on, off = _subject(impl, case, server_url)
    runs = [0]

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            runs[0] += 1

    def per_1000(call: Callable[[], object], calls: int = 3000) -> float:
        gc.collect()
        runs[0] = 0
        for _ in range(calls):
            call()
        return 1000 * runs[0] / calls

    for _ in range(300):  # warm up both paths
        plain()
    on()
    for _ in range(300):
        instrumented()
    off()
    gc.callbacks.append(count)
    try:
        before = per_1000(plain)
        on()
        after = per_1000(instrumented)
        off()
    finally:
        gc.callbacks.remove(count)
    return {"plain": before, "instrumented": after}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", nargs="?", choices=["paired", "opcodes", "collections"], default="paired"
    )
    parser.add_argument("--rounds", type=int, help="paired rounds (default 30; 60 with --server)")
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--case", choices=["requests", "flask"], default="requests")
    parser.add_argument("--server", action="store_true", help="a real server on 127.0.0.1")
    parser.add_argument("--otel-src", help="run the otel side from this source tree")
    parser.add_argument("--json", help="also write the rounds to this file")
    parser.add_argument(
        "--parent", action="store_true", help="opcodes: the call made inside a sampled span"
    )
    parser.add_argument("--worker", choices=["otel", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", choices=["otel", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--collections", choices=["otel", "official"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve()
        return 0
    if args.worker:
        _worker(args.worker, args.case, args.url)
        return 0
    if args.count:
        print(json.dumps(_count_opcodes(args.count, args.case, args.parent, args.url)))
        return 0
    if args.collections:
        print(json.dumps(_count_collections(args.collections, args.case, args.url)))
        return 0
    if args.mode == "collections":
        return _print_collections(args.case, args.server, args.otel_src)
    if args.mode == "opcodes":
        return _print_opcodes(args.case, args.parent, args.server, args.otel_src)
    rounds = args.rounds or (60 if args.server else 30)
    result = paired(rounds, args.calls, args.case, args.server, args.otel_src)
    _print_paired(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


def _paired_ratio() -> float:
    return float(paired(rounds=15, calls=400)["median"]["ratio_cpu"])


CASES = [
    Case(
        "Flask request: thread-CPU ns added (median of rounds)",
        lambda: _rounds_added(_flask_subject("otel"), 15, 400),
        lambda: _rounds_added(_flask_subject("official"), 15, 400),
        kind="value",
        unit="ns/req",
    ),
    Case(
        "requests.get: thread-CPU ns added (median of rounds)",
        lambda: _rounds_added(_requests_subject("otel"), 15, 400),
        lambda: _rounds_added(_requests_subject("official"), 15, 400),
        kind="value",
        unit="ns/req",
    ),
    Case(
        "requests.get: paired otel/official added, median ratio",
        _paired_ratio,
        None,
        kind="value",
        unit="ratio",
    ),
]

if __name__ == "__main__":
    sys.exit(main())
