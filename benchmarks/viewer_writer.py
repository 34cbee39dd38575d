"""The ``otel view`` store writer's cost per span, counted exactly (load-independent).

    .venv/bin/python benchmarks/viewer_writer.py              # instructions per span
    .venv/bin/python benchmarks/viewer_writer.py --src /tmp/old/src   # another tree's

Runs this script's ``run`` step twice under callgrind (``instructions.count_instructions``,
hash seed fixed): once decoding ``--batches`` benchmark requests of 512 spans
(``viewer.build_batches``) and committing them ``--per-commit`` at a time through
``SQLiteStore._commit`` on the calling thread (the writer and checkpointer threads not
started), once only decoding (and building the columns the writer binds, which
``SQLiteStore.submit`` does on the receiving thread, in trees that have it); the
difference divided by the spans is what the writer executes per span (SQLite included,
kernel time not).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
from pathlib import Path

from instructions import count_instructions

ROOT = Path(__file__).resolve().parents[1]


def run(src: str, batches: int, per_commit: int, commit: bool, payloads_path: str) -> None:
    sys.path.insert(0, src)
    from otel.viewer._receiver._otlp import SIGNALS, decode
    from otel.viewer._store import _sqlite
    from otel.viewer._store._interface import Retention

    _sqlite.SQLiteStore._run = lambda self: None  # type: ignore[method-assign]
    _sqlite.SQLiteStore._checkpoints = lambda self: None  # type: ignore[method-assign]
    with open(payloads_path, "rb") as f:
        payloads = pickle.load(f)[:batches]
    signal = SIGNALS["traces"]
    decoded = [decode(signal, body, False).items for body in payloads]
    for prepared in decoded:  # what SQLiteStore.submit does on the receiving thread
        if hasattr(_sqlite, "group_columns"):
            prepared.columns = [_sqlite.group_columns(g.rows) for g in prepared.groups]
    path = os.path.join(tempfile.mkdtemp(prefix="otel-view-writer-"), "v.sqlite3")
    store = _sqlite.SQLiteStore(path, Retention(max_age_seconds=3650 * 86400, max_bytes=1 << 40))
    conn = store._writer_conn
    if commit:
        for i in range(0, len(decoded), per_commit):
            batch = [(d, (), (), _sqlite._Waiter()) for d in decoded[i : i + per_commit]]
            store._commit(conn, batch)  # type: ignore[arg-type]
            store._edges.advance(conn)
    conn.close()


def instructions(args: argparse.Namespace, payloads_path: str, commit: bool) -> int:
    return count_instructions(
        [
            sys.executable,
            __file__,
            "--run",
            "commit" if commit else "decode",
            "--src",
            args.src,
            "--batches",
            str(args.batches),
            "--per-commit",
            str(args.per_commit),
            "--payloads",
            payloads_path,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", default=str(ROOT / "src"), help="the otel tree to measure")
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--per-commit", type=int, default=4)
    parser.add_argument("--run", choices=["commit", "decode"], help=argparse.SUPPRESS)
    parser.add_argument("--payloads", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(args.src, args.batches, args.per_commit, args.run == "commit", args.payloads)
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from viewer import build_batches

    payloads_path = os.path.join(tempfile.mkdtemp(prefix="otel-view-writer-"), "batches.pkl")
    with open(payloads_path, "wb") as f:
        pickle.dump(build_batches(args.batches), f)
    spans = args.batches * 512
    with_commit = instructions(args, payloads_path, True)
    decode_only = instructions(args, payloads_path, False)
    print(
        f"writer: {(with_commit - decode_only) / spans:,.0f} instructions per span"
        f" ({args.src}, {spans:,} spans, {args.per_commit} requests per commit)"
    )


if __name__ == "__main__":
    main()
