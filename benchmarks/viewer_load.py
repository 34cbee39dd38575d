"""``otel view`` under load, the full run of issue 14 item 8 (the suite runs 10 s of it).

    .venv/bin/python benchmarks/viewer_load.py [--seconds 60] [--senders 4]

Starts ``otel view`` on a fresh SQLite file, sends OTLP/HTTP protobuf trace batches (25
traces, 50 spans each, fresh trace ids) from ``--senders`` threads at full speed while one
thread queries the UI's JSON API every 100 ms (services, two trace searches, dependencies,
the fetch of a trace just acknowledged); prints spans/s acknowledged, failed requests,
query latency (p99, worst per endpoint; then median, p99 and worst of each endpoint) and
the viewer's RSS. Exit status 1 when a request failed or a query took 1 s or more. The code
is tests/viewer/load_kit.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "viewer"), str(ROOT / "tests")]

from load_kit import run_load, stored_span_count  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--senders", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "view.sqlite3"
        result = run_load(db, args.seconds, senders=args.senders)
        print(result.summary())
        print(result.by_path())
        stored = stored_span_count(db)
        print(f"stored spans {stored:,} (acknowledged {result.spans_acknowledged:,})")
        for failure in result.failures[:10]:
            print("failure:", failure)
    ok = not result.failures and result.worst_query_s < 1.0 and stored >= result.spans_acknowledged
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
