"""Lazy re-exports for package ``__init__`` modules: import a name's module on first use.

A package such as ``otel.sdk.metrics`` re-exports names from its private modules; loading
them all whenever any submodule is imported (``otel.sdk.metrics.export`` for the exporter
base class, say) makes every import pay for the whole SDK. ``lazy_exports`` gives the
package a module ``__getattr__``/``__dir__`` that imports the defining module the first
time a name is read, then caches the value in the package's globals (so later reads are
plain attribute lookups). ``from package import *`` still works through ``__all__``.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def lazy_exports(
    package: str, namespace: dict[str, Any], where: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` whose names live in ``where[name]``."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(__import__(module, fromlist=[name]), name)  # no importlib needed
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
