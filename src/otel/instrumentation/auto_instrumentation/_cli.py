"""``otel run [--<variable> VALUE ...] [--] PROGRAM [ARGS ...]`` (also ``otel-instrument``).

Every ``--<name> VALUE`` (or ``--<name>=VALUE``) becomes the environment variable
``OTEL_<NAME>`` of the program (``--traces_exporter console`` ->
``OTEL_TRACES_EXPORTER=console``), as with the official ``opentelemetry-instrument``;
the known OTEL_* variables are listed in ``--help`` and any other lower-case
``--<name>`` is accepted the same way. The program then replaces this process
(``exec``) with the bootstrap directory first on ``PYTHONPATH``, so a Python program is
configured and instrumented before its own code runs, and signals reach it directly.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from typing import Any

_SIGNAL_OPTIONS = ("ENDPOINT", "PROTOCOL", "HEADERS", "TIMEOUT", "COMPRESSION",
                   "CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE", "INSECURE")  # fmt: skip

#: OTEL_* variables offered as options (without the prefix, lower-cased on the command line).
KNOWN_VARIABLES: tuple[str, ...] = (
    "SERVICE_NAME", "RESOURCE_ATTRIBUTES", "TRACES_EXPORTER", "METRICS_EXPORTER",
    "LOGS_EXPORTER", "PROPAGATORS", "TRACES_SAMPLER", "TRACES_SAMPLER_ARG", "SDK_DISABLED",
    "LOG_LEVEL", "EXPERIMENTAL_RESOURCE_DETECTORS",
    *(f"EXPORTER_OTLP_{option}" for option in _SIGNAL_OPTIONS),
    *(f"EXPORTER_OTLP_{signal}_{option}" for signal in ("TRACES", "METRICS", "LOGS")
      for option in _SIGNAL_OPTIONS),
    "EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
    "EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
    "BSP_SCHEDULE_DELAY", "BSP_EXPORT_TIMEOUT", "BSP_MAX_QUEUE_SIZE", "BSP_MAX_EXPORT_BATCH_SIZE",
    "BLRP_SCHEDULE_DELAY", "BLRP_EXPORT_TIMEOUT", "BLRP_MAX_QUEUE_SIZE",
    "BLRP_MAX_EXPORT_BATCH_SIZE", "METRIC_EXPORT_INTERVAL", "METRIC_EXPORT_TIMEOUT",
    "METRICS_EXEMPLAR_FILTER", "ATTRIBUTE_VALUE_LENGTH_LIMIT", "ATTRIBUTE_COUNT_LIMIT",
    "SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "SPAN_ATTRIBUTE_COUNT_LIMIT", "SPAN_EVENT_COUNT_LIMIT",
    "SPAN_LINK_COUNT_LIMIT", "EVENT_ATTRIBUTE_COUNT_LIMIT", "LINK_ATTRIBUTE_COUNT_LIMIT",
    "EXPORTER_JAEGER_AGENT_HOST", "EXPORTER_JAEGER_AGENT_PORT", "EXPORTER_JAEGER_ENDPOINT",
    "EXPORTER_ZIPKIN_ENDPOINT", "EXPORTER_PROMETHEUS_HOST", "EXPORTER_PROMETHEUS_PORT",
    "PYTHON_DISABLED_INSTRUMENTATIONS", "PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED",
    "PYTHON_LOG_CORRELATION", "PYTHON_LOG_FORMAT", "PYTHON_LOG_LEVEL", "PYTHON_EXCLUDED_URLS",
    "INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST",
    "INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE",
    "INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS",
    "SEMCONV_STABILITY_OPT_IN",
)  # fmt: skip

_OPTION = re.compile(r"^--([a-z][a-z0-9_]*)(=.*)?$")
_DEST_PREFIX = "otel_env_"


def bootstrap_dir() -> str:
    """The directory holding the ``sitecustomize`` bootstrap."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "_site")


def _extra_options(argv: list[str]) -> list[str]:
    """Lower-case ``--name`` options before the program that are not in the known list."""
    known = {variable.lower() for variable in KNOWN_VARIABLES}
    extra: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--" or not token.startswith("--"):
            break
        match = _OPTION.match(token)
        if match is None:
            break
        name = match.group(1)
        if name not in known and name not in extra and name != "help":
            extra.append(name)
        index += 1 if match.group(2) else 2
    return extra


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options ``--<variable>`` for the OTEL_* variables, then the program to run."""
    parser.usage = "%(prog)s [--<otel variable> VALUE ...] [--] PROGRAM [ARGS ...]"
    group = parser.add_argument_group(
        "OTEL_* variables", "each --NAME VALUE sets OTEL_<NAME> for the program"
    )
    names = [variable.lower() for variable in KNOWN_VARIABLES]
    argv = sys.argv[1:]
    if argv and argv[0] == "run":
        argv = argv[1:]
    names.extend(_extra_options(argv))
    for name in names:
        group.add_argument(
            f"--{name}", dest=f"{_DEST_PREFIX}{name}", metavar="VALUE", help=argparse.SUPPRESS
        )
    parser.epilog = "Known variables: " + ", ".join(
        f"--{name}" for name in names[: len(KNOWN_VARIABLES)]
    )
    parser.add_argument("program", nargs=argparse.REMAINDER, help="the command to run")


def child_environment(args: argparse.Namespace, base: dict[str, str]) -> dict[str, str]:
    """``base`` plus the OTEL_* variables from the options and the bootstrap on PYTHONPATH."""
    env = dict(base)
    for dest, value in vars(args).items():
        if dest.startswith(_DEST_PREFIX) and value is not None:
            env["OTEL_" + dest[len(_DEST_PREFIX) :].upper()] = value
    existing = env.get("PYTHONPATH", "")
    site = bootstrap_dir()
    parts = [part for part in existing.split(os.pathsep) if part and part != site]
    env["PYTHONPATH"] = os.pathsep.join([site, *parts])
    return env


def main(args: argparse.Namespace) -> int:
    """Replace this process with the program; returns only on error (exit code)."""
    program: list[str] = list(args.program or [])
    if program and program[0] == "--":
        program = program[1:]
    if not program:
        sys.stderr.write("otel run: no program given (usage: otel run -- python app.py)\n")
        return 2
    executable = shutil.which(program[0])
    if executable is None:
        sys.stderr.write(f"otel run: command not found: {program[0]}\n")
        return 127
    env = child_environment(args, dict(os.environ))
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(executable, program, env)
    except OSError as exc:
        sys.stderr.write(f"otel run: cannot run {program[0]}: {exc}\n")
        return 126
    return 0  # pragma: no cover - execve does not return


def _namespace(**values: Any) -> argparse.Namespace:  # pragma: no cover - test helper
    return argparse.Namespace(**values)
