"""The layers of docs/architecture.md, checked on the source: arrows only point down.

Every ``import`` / ``from ... import`` statement under ``src/otel`` is read with ``ast``
(anywhere in the module: top level, inside functions, under ``TYPE_CHECKING``), resolved
to an absolute module name, and checked against the rules below. A new module is placed
in a layer by its name; nothing has to be registered.

Layers (lowest first) and what each may import of otel:

- **shared helpers** ``otel._once``, ``otel._log``, ``otel._fork``: API level, stdlib
  only, usable by every layer. ``otel.semconv`` (attribute-name constants) likewise.
- **API** ``otel.context``, ``otel.trace``, ``otel.baggage``, ``otel.propagate``,
  ``otel.propagators``, ``otel.metrics``, ``otel.logs``, ``otel._logs``,
  ``otel.attributes`` and the package ``otel`` itself: only the API and the helpers.
- **instrumentation** ``otel.instrumentation.*``: only the API, the helpers,
  ``otel.semconv`` and ``otel.instrumentation`` itself (never the SDK or an exporter).
  One exception, by design: ``otel.instrumentation.auto_instrumentation`` (the zero-code
  bootstrap of ``otel run``, at the official tool's path) is a tool, not an
  instrumentation; it calls ``otel.sdk._configuration`` to set the SDK up from OTEL_*.
- **SDK** ``otel.sdk.*``: everything above, never an exporter.
- Nothing imports the **viewer** ``otel.viewer.*`` but the viewer itself and the tools
  that start it (``otel.cli``, ``otel.demo``).

The import budgets of the public entry points (which standard-library modules an
``import`` may load) are stated once, here, in ``IMPORT_BUDGETS``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

HELPERS = ("otel._once", "otel._log", "otel._fork", "otel.semconv")
API = (
    "otel.context",
    "otel.trace",
    "otel.baggage",
    "otel.propagate",
    "otel.propagators",
    "otel.metrics",
    "otel.logs",
    "otel._logs",
    "otel.attributes",
)
INSTRUMENTATION = ("otel.instrumentation",)
ZERO_CODE_BOOTSTRAP = ("otel.instrumentation.auto_instrumentation",)
SDK = ("otel.sdk",)
EXPORTERS = ("otel.exporter",)
VIEWER = ("otel.viewer",)
VIEWER_USERS = ("otel.viewer", "otel.cli", "otel.demo")


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:  # ``from otel import sdk`` imports otel.sdk
                yield node.lineno, f"{target}.{alias.name}"


def _otel_imports(root: Path = SRC) -> list[tuple[str, str, int, str]]:
    """(importing module, file, line, imported otel module) over the whole source tree.

    ``from otel.trace import Span`` yields ``otel.trace.Span``: only names that are
    modules or packages in the tree are kept.
    """
    found = []
    for path in sorted((root / "otel").rglob("*.py")):
        importer = _module_name(path, root)
        for line, imported in _imports(path, root):
            if imported != "otel" and not imported.startswith("otel."):
                continue
            relative = root / Path(*imported.split("."))
            if relative.is_dir() or relative.with_suffix(".py").exists():
                found.append((importer, str(path.relative_to(root)), line, imported))
    return found


def _violations(layer: tuple[str, ...], allowed: tuple[str, ...], root: Path = SRC) -> list[str]:
    """Imports by modules of ``layer`` of otel modules outside ``allowed``."""
    return [
        f"{file}:{line} imports {imported}"
        for importer, file, line, imported in _otel_imports(root)
        if _within(importer, layer) and imported != "otel" and not _within(imported, allowed)
    ]


def test_the_api_imports_only_the_api_and_the_shared_helpers() -> None:
    assert _violations(API, API + HELPERS) == []


def test_the_otel_package_itself_imports_only_the_api() -> None:
    bad = [
        f"{file}:{line} imports {imported}"
        for importer, file, line, imported in _otel_imports()
        if importer == "otel" and not _within(imported, API + HELPERS)
    ]
    assert bad == []


def test_instrumentations_import_only_the_api_helpers_semconv_and_instrumentation() -> None:
    bad = [
        violation
        for violation in _violations(INSTRUMENTATION, API + HELPERS + INSTRUMENTATION)
        if not violation.startswith("otel/instrumentation/auto_instrumentation/")
    ]
    assert bad == []


def test_the_zero_code_bootstrap_reaches_the_sdk_only_through_its_configuration() -> None:
    allowed = API + HELPERS + INSTRUMENTATION + ("otel.sdk._configuration",)
    assert _violations(ZERO_CODE_BOOTSTRAP, allowed) == []


def test_the_sdk_never_imports_an_exporter_an_instrumentation_or_the_viewer() -> None:
    bad = [
        f"{file}:{line} imports {imported}"
        for importer, file, line, imported in _otel_imports()
        if _within(importer, SDK) and _within(imported, EXPORTERS + INSTRUMENTATION + VIEWER)
    ]
    assert bad == []


def test_nothing_but_the_viewer_and_its_launchers_imports_the_viewer() -> None:
    bad = [
        f"{file}:{line} imports {imported}"
        for importer, file, line, imported in _otel_imports()
        if _within(imported, VIEWER) and not _within(importer, VIEWER_USERS)
    ]
    assert bad == []


def test_the_checker_reports_a_planted_violation(tmp_path: Path) -> None:
    """The rules are not vacuous: a lazy ``import otel.sdk.trace`` in the API is reported."""
    for package in ("otel", "otel/trace", "otel/sdk", "otel/sdk/trace"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "otel" / "trace" / "_bad.py").write_text(
        "from . import _bad\n\ndef f():\n    from ..sdk import trace\n", encoding="utf-8"
    )
    assert _violations(API, API + HELPERS, tmp_path) == [
        "otel/trace/_bad.py:4 imports otel.sdk",
        "otel/trace/_bad.py:4 imports otel.sdk.trace",
    ]


# --- import budgets ----------------------------------------------------------------------

# Standard-library modules that ``import otel`` / ``otel.trace`` / ``otel.sdk.trace`` must
# not load: each is imported only when actually needed (first log record through
# ``otel._log``, first tracestate parsed, record_exception, resource detectors, a thread
# started, ...). Locks and weak references come from _thread, _weakref and _weakrefset;
# type-only imports sit under ``TYPE_CHECKING``.
_LIGHT = frozenset(
    {
        "logging",
        "threading",
        "weakref",
        "re",
        "typing",
        "traceback",
        "textwrap",
        "string",
        "inspect",
        "json",
        "dataclasses",
        "urllib.parse",
        "uuid",
        "platform",
        "socket",
    }
)

IMPORT_BUDGETS: dict[str, frozenset[str]] = {
    "import otel": _LIGHT,
    "import otel.trace": _LIGHT,
    "import otel.sdk.trace": _LIGHT,
    # the batch processor starts a thread: ``threading`` is its one allowed extra
    "import otel.sdk.trace.export": _LIGHT - {"threading"},
}


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("statement", sorted(IMPORT_BUDGETS))
def test_import_stays_within_its_budget(statement: str) -> None:
    loaded = _modules_loaded_by(statement) - _modules_loaded_by("")
    assert "otel" in loaded
    assert sorted(loaded & IMPORT_BUDGETS[statement]) == []
