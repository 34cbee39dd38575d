"""The ``otel`` command line: ``otel view``, ``otel run -- python app.py``, ``otel demo``.

Each subcommand lives beside what it drives and is imported only when it is run, so
``otel --help`` stays cheap. A subcommand module provides ``add_arguments(parser)`` and
``main(args) -> int``. ``otel-instrument`` (the official tool's name) is ``otel run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: subcommand -> (module, one-line help). The module has add_arguments(parser) and main(args).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "view": ("otel.viewer._cli", "receive, store and browse telemetry (UI on :16686)"),
    "run": (
        "otel.instrumentation.auto_instrumentation._cli",
        "run a program with zero-code instrumentation: otel run -- python app.py",
    ),
    "demo": ("otel.demo._cli", "start the viewer and an instrumented two-service demo app"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="otel", description="OpenTelemetry for Python.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, summary) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary)
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # not built into this version: listed, not runnable
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``otel`` console script; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(args_list)
    module = getattr(args, "_module", None)
    if module is None:
        parser.print_help(sys.stderr if args.command is None else sys.stdout)
        return 2 if args.command is None else 1
    return int(module.main(args))


def instrument_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``otel-instrument`` (the official ``opentelemetry-instrument``)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    return main(["run", *args_list])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
