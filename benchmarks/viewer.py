"""``otel view`` benchmarks (standalone, not side by side: the official SDK has no viewer).

    .venv/bin/python benchmarks/viewer.py ingest           # OTLP/HTTP protobuf, 512-span batches
    .venv/bin/python benchmarks/viewer.py query --spans 1000000   # search and fetch at scale

``ingest`` starts ``otel view`` as a separate process on a fresh SQLite file, sends
pre-encoded ``ExportTraceServiceRequest`` batches of 512 spans (6 attributes each, 8 spans per
trace, 4 services) from ``--senders`` threads over kept-alive connections, and reports spans/s
acknowledged (every 200 means committed) and bytes on disk per span.
``query`` fills a store directly through ``SQLiteStore.ingest`` (same writer path, no HTTP)
up to ``--spans`` spans, including one 10,000-span trace, then times a trace search with a
service + attribute + duration filter and the fetch of the 10,000-span trace through the
JSON API handlers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from otel.exporter.otlp._proto._model import Resource, Scope, Span  # noqa: E402

SERVICES = ["frontend", "checkout", "payments", "inventory"]
ROUTES = ["/users", "/cart", "/pay", "/stock", "/search", "/login"]


def _free_port() -> int:
    from otel.testing import free_port

    return free_port()


def _cpu_seconds(pid: int | str) -> float:
    """User + system CPU seconds of process ``pid`` and its threads, or of one thread
    (``"pid/task/tid"``) (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[str]:
    """The child processes of ``pid`` (Linux /proc)."""
    found: list[str] = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += f.read().split()
        except OSError:
            pass
    return found


def median_ms(fn, repeat: int = 7) -> float:  # type: ignore[no-untyped-def]
    """Median wall milliseconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build_batches(count: int, per_batch: int = 512, random_start: bool = False) -> list[bytes]:
    """``count`` requests of ``per_batch`` spans. Like a live system's, a request's spans
    started in the 2 s before it was sent, requests 10 ms apart (``random_start``: anywhere
    in the last hour instead, the benchmark's first form: every index insert lands on a
    random page)."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
    from opentelemetry.proto.common.v1.common_pb2 import AnyValue

    rng = random.Random(1)
    now = time.time_ns()
    batches = []
    for number in range(count):
        req = ExportTraceServiceRequest()
        for service in SERVICES:
            rs = req.resource_spans.add()
            rs.resource.attributes.add(key="service.name", value=AnyValue(string_value=service))
            rs.resource.attributes.add(key="host.name", value=AnyValue(string_value="bench-host"))
            ss = rs.scope_spans.add()
            ss.scope.name = "bench"
            for i in range(per_batch // len(SERVICES)):
                if i % 8 == 0:
                    trace_id = rng.getrandbits(128).to_bytes(16, "big")
                    start = (
                        now - rng.randrange(3_600_000_000_000)
                        if random_start
                        else now
                        - 3_600_000_000_000
                        + number * 10_000_000
                        - rng.randrange(2_000_000_000)
                    )
                sp = ss.spans.add(
                    trace_id=trace_id,
                    span_id=rng.getrandbits(64).to_bytes(8, "big"),
                    parent_span_id=rng.getrandbits(64).to_bytes(8, "big") if i % 8 else b"",
                    name=f"GET {ROUTES[i % len(ROUTES)]}",
                    kind=2,
                    start_time_unix_nano=start,
                    end_time_unix_nano=start + rng.randrange(100_000, 500_000_000),
                )
                for key, value in (
                    ("http.method", AnyValue(string_value="GET")),
                    ("http.route", AnyValue(string_value=ROUTES[i % len(ROUTES)])),
                    ("http.status_code", AnyValue(int_value=200 if i % 10 else 500)),
                    ("user.id", AnyValue(int_value=rng.randrange(10_000))),
                    ("net.peer.name", AnyValue(string_value=f"10.0.0.{i % 50}")),
                    ("cache.hit", AnyValue(bool_value=bool(i % 2))),
                ):
                    sp.attributes.add(key=key, value=value)
                sp.status.code = 2 if i % 10 == 0 else 0
        batches.append(req.SerializeToString())
    return batches


def bench_ingest(batches: int, senders: int, random_start: bool) -> None:
    payloads = build_batches(batches, random_start=random_start)
    spans = batches * 512
    tmp = tempfile.mkdtemp(prefix="otel-view-bench-")
    db = os.path.join(tmp, "view.sqlite3")
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "otel",
            "view",
            "--db",
            db,
            "--ui-port",
            "0",
            "--otlp-http-port",
            str(port),
            "--otlp-grpc-port",
            "0",
            "--jaeger-udp-port",
            "0",
            "--zipkin-port",
            "0",
            "--retention",
            "3650d",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},  # this checkout's otel
    )
    assert proc.stdout is not None
    while "store" not in proc.stdout.readline():
        pass
    queue = list(payloads)
    lock = threading.Lock()
    statuses: list[int] = []

    def sender() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            while True:
                conn.request("POST", "/v1/traces", body, {"Content-Type": "application/x-protobuf"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 503:
                    break
                time.sleep(0.05)
            statuses.append(resp.status)
        conn.close()

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cpu = _cpu_seconds(proc.pid)
    threads_cpu = sorted(
        (
            (_cpu_seconds(f"{proc.pid}/task/{tid}"), tid)
            for tid in os.listdir(f"/proc/{proc.pid}/task")
        ),
        reverse=True,
    )
    children = _children(proc.pid)  # the store's writer process
    children_cpu = sum(map(_cpu_seconds, children))
    writer_threads = sorted(
        (
            _cpu_seconds(f"{c}/task/{tid}")
            for c in children
            for tid in os.listdir(f"/proc/{c}/task")
        ),
        reverse=True,
    )
    proc.terminate()
    proc.wait(30)
    size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
    ok = statuses.count(200)
    print(
        f"ingest: {spans} spans in {elapsed:.2f} s = {spans / elapsed:,.0f} spans/s "
        f"({ok}/{len(statuses)} requests 200, {senders} senders)"
    )
    print(f"disk: {size / spans:.0f} bytes per span (database + WAL, {size / 1e6:.1f} MB)")
    if cpu:
        print(
            f"viewer CPU: {cpu:.2f} s = {spans / cpu:,.0f} spans per CPU-second "
            "(the rate with one idle core; independent of other load on the machine)"
        )
        busiest = ", ".join(f"{c / spans * 1e6:.1f}" for c, _ in threads_cpu[:6] if c)
        print(f"busiest viewer threads: {busiest} us of CPU per span")
    if children_cpu:
        busiest = ", ".join(f"{c / spans * 1e6:.1f}" for c in writer_threads[:3] if c)
        print(
            f"writer process CPU: {children_cpu / spans * 1e6:.1f} us per span (busiest"
            f" threads {busiest}); viewer and writer: {(cpu + children_cpu) / spans * 1e6:.1f}"
        )


def _span(
    trace_id: bytes,
    span_id: int,
    parent: int,
    service: str,
    start: int,
    duration: int,
    resources: dict[str, Resource],
    scope: Scope,
    rng: random.Random,
) -> Span:
    sp = Span(resources[service], scope)
    sp.trace_id = trace_id
    sp.span_id = span_id.to_bytes(8, "big")
    sp.parent_span_id = parent.to_bytes(8, "big") if parent else b""
    route = ROUTES[span_id % len(ROUTES)]
    error = rng.random() < 0.1
    sp.name = f"GET {route}"
    sp.kind = 2
    sp.start_time_unix_nano = start
    sp.end_time_unix_nano = start + duration
    sp.attributes = {
        "http.method": "GET",
        "http.route": route,
        "http.status_code": 500 if error else 200,
        "user.id": rng.randrange(10_000),
        "net.peer.name": f"10.0.0.{span_id % 50}",
        "cache.hit": bool(span_id % 2),
    }
    sp.status_code = 2 if error else 0
    return sp


def bench_query(total: int, db: str | None, random_start: bool) -> None:
    """Fill a store to ``total`` spans (8-span traces over the last 24 hours, stored in
    the order they started, give or take 2 s, as a live system receives them;
    ``random_start``: in any order, the stress case of every block spanning the whole
    day) and time searches, dependencies and a trace fetch through the API handlers."""
    from otel.viewer import _query
    from otel.viewer._store._interface import Retention
    from otel.viewer._store._sqlite import SQLiteStore

    path = db or os.path.join(tempfile.mkdtemp(prefix="otel-view-bench-"), "view.sqlite3")
    store = SQLiteStore(path, Retention(max_age_seconds=3650 * 86400, max_bytes=1 << 40))
    rng = random.Random(2)
    resources = {s: Resource({"service.name": s}) for s in SERVICES}
    scope = Scope("bench")
    now = time.time_ns()
    big_trace = rng.getrandbits(128).to_bytes(16, "big")
    existing = store.trace_summaries([big_trace])
    have = existing[0]["span_count"] if existing else 0
    if have < 10_000:
        big = [
            _span(
                big_trace,
                i + 1,
                1 if i else 0,
                SERVICES[i % 4],
                now - 10_000_000_000 + i * 1000,
                1_000_000,
                resources,
                scope,
                rng,
            )
            for i in range(10_000)
        ]
        store.ingest(spans=big)
    with store._reader() as c:
        stored = c.execute("SELECT count(*) FROM spans").fetchone()[0]
    print(f"store has {stored:,} spans; filling to {total:,}")
    t0 = time.perf_counter()
    next_id = 10_001 + stored
    while stored < total:
        batch = []
        for _ in range(min(5_000, total - stored) // 8 or 1):
            trace_id = rng.getrandbits(128).to_bytes(16, "big")
            if random_start:
                start = now - rng.randrange(86_400_000_000_000)
            else:
                start = (
                    now
                    - 86_400_000_000_000 * (total - stored) // total
                    - rng.randrange(2_000_000_000)
                )
            for k in range(8):
                batch.append(
                    _span(
                        trace_id,
                        next_id,
                        next_id - k if k else 0,
                        SERVICES[k % 4],
                        start + k * 1000,
                        rng.randrange(100_000, 500_000_000),
                        resources,
                        scope,
                        rng,
                    )
                )
                next_id += 1
        store.ingest(spans=batch)
        stored += len(batch)
    if time.perf_counter() - t0 > 1:
        print(f"filled in {time.perf_counter() - t0:.0f} s")

    searches = [
        "service=payments&attr=http.route=/cart&min_duration_ms=100&limit=20",
        "service=payments&attr=user.id=1234&min_duration_ms=100&limit=20",
        "service=checkout&limit=20",
    ]
    for search in searches:
        status, answer = _query.handle_get(store, "/api/traces", search)
        assert status == 200, (search, answer)  # a small --spans may match nothing
        ms = median_ms(lambda search=search: _query.handle_get(store, "/api/traces", search))
        print(f"search {search} over {stored:,} spans: {ms:.1f} ms median")
    hour_ms = (now - 3_600_000_000_000) // 1_000_000
    ms = median_ms(lambda: _query.handle_get(store, "/api/dependencies", f"since={hour_ms}"), 3)
    print(f"dependencies over the last hour: {ms:.1f} ms median")

    def fetch() -> bytes:
        """The answer's bytes as the web handler sends them (``send_json``)."""
        status, answer = _query.handle_get(store, f"/api/traces/{big_trace.hex()}", "")
        assert status == 200
        if isinstance(answer, str):  # JSON text already (RawJSON)
            return answer.encode("utf-8")
        return json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    assert len(json.loads(fetch())["spans"]) == 10_000
    cpu = time.thread_time()
    ms3 = median_ms(fetch, 5)
    cpu_ms = (time.thread_time() - cpu) / 5 * 1000
    print(
        f"fetch a 10,000-span trace (answer bytes): {ms3:.1f} ms median, {cpu_ms:.1f} ms CPU mean"
    )
    store.close()
    size = sum(
        os.path.getsize(os.path.join(os.path.dirname(path), f))
        for f in os.listdir(os.path.dirname(path))
    )
    print(f"disk: {size / stored:.0f} bytes per span")


def _thread_cpu(native_id: int) -> float:
    """CPU seconds of one thread of this process (Linux /proc)."""
    with open(f"/proc/self/task/{native_id}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_stages(batches: int, random_start: bool) -> None:
    """Thread CPU per span of each ingest stage, in-process (no HTTP): protobuf decode,
    limits, row building (receiver thread) and the writer thread (SQLite + numbering)."""
    from otel.viewer._receiver._otlp import SIGNALS, decode, store_decoded
    from otel.viewer._store._interface import Retention
    from otel.viewer._store._sqlite import SQLiteStore

    payloads = build_batches(batches, random_start=random_start)
    spans = batches * 512
    signal = SIGNALS["traces"]
    path = os.path.join(tempfile.mkdtemp(prefix="otel-view-bench-"), "view.sqlite3")
    store = SQLiteStore(path, Retention(max_age_seconds=3650 * 86400, max_bytes=1 << 40))
    decoded = []
    t = time.thread_time()
    for body in payloads:
        decoded.append(decode(signal, body, False))
    decode_s = time.thread_time() - t
    best_s = decode_s  # warm passes: the memos of attributes and names filled
    for _ in range(4):
        t = time.thread_time()
        for body in payloads:
            decode(signal, body, False)
        best_s = min(best_s, time.thread_time() - t)
    writer_before = _thread_cpu(store._thread.native_id or 0)
    t = time.thread_time()
    for d in decoded:
        store_decoded(store, signal, d)
    receiver_s = time.thread_time() - t
    writer_s = _thread_cpu(store._thread.native_id or 0) - writer_before
    store.close()
    print(f"decode:  {decode_s / spans * 1e6:5.1f} us/span (receiver thread)")
    print(f"decode, best of 5 passes: {best_s / spans * 1e6:5.1f} us/span (receiver thread)")
    print(f"limits + rows + hand-off: {receiver_s / spans * 1e6:5.1f} us/span (receiver thread)")
    print(f"writer:  {writer_s / spans * 1e6:5.1f} us/span (writer thread; 10 ms clock ticks)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["ingest", "query", "stages"])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument(
        "--random-start",
        action="store_true",
        help="ingest: spans started anywhere in the hour; query: stored in any start order",
    )
    parser.add_argument("--db", default=None, help="reuse a query database between runs")
    args = parser.parse_args()
    if args.what == "ingest":
        bench_ingest(args.batches, args.senders, args.random_start)
    elif args.what == "stages":
        bench_stages(args.batches, args.random_start)
    else:
        bench_query(args.spans, args.db, args.random_start)


if __name__ == "__main__":
    main()
