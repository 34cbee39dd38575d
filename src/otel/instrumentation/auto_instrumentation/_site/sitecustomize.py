"""``otel run`` bootstrap: Python imports this ``sitecustomize`` at start-up because
``otel run`` puts this directory first on ``PYTHONPATH``. It configures otel and
instruments installed libraries before the program's own code, then runs the
``sitecustomize`` it shadows, if any. It never stops the program from starting.
"""

import importlib.machinery
import importlib.util
import os
import sys


def _otel_bootstrap() -> None:
    try:
        from otel.instrumentation.auto_instrumentation import initialize

        initialize()
    except Exception as exc:  # otel not importable by this interpreter, or a bug
        sys.stderr.write(f"otel: zero-code bootstrap failed: {type(exc).__name__}: {exc}\n")


def _run_shadowed_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.stderr.write(f"otel: the application's sitecustomize failed: {exc}\n")


_otel_bootstrap()
_run_shadowed_sitecustomize()
