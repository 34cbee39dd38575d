"""Post-import hooks: run a function on a module right after it is first imported.

``when_imported(name, hook)`` calls ``hook(module)`` at once when ``name`` is already
imported, otherwise right after its code has run (the hook's exceptions are reported on
stderr, never raised into the import). One finder sits first in ``sys.meta_path`` while
hooks are pending; it only looks at the names it waits for, finds their spec through
the other finders, and wraps that spec's loader (loaders shared by many modules, such as
the builtin importer class, are left alone: their modules are hooked at once or never).
Thread-safe through the import lock the import system already holds.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

Hook = Callable[[ModuleType], None]

_EXEC_MODULE = "exec_module"  # the loader method wrapped, on one loader instance


def _run(hook: Hook, module: ModuleType) -> None:
    try:
        hook(module)
    except Exception as exc:
        sys.stderr.write(f"otel: post-import hook for {module.__name__} failed: {exc}\n")


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.pending: dict[str, list[Hook]] = {}
        self._finding: set[str] = set()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.pending or fullname in self._finding:
            return None
        self._finding.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)  # the other finders (we say None)
        except (ImportError, ValueError):
            return None
        finally:
            self._finding.discard(fullname)
        loader = spec.loader if spec is not None else None
        if loader is None or isinstance(loader, type) or not hasattr(loader, "exec_module"):
            return spec
        exec_module = loader.exec_module  # its bound method, replaced below
        pending = self.pending

        def exec_and_hook(module: ModuleType) -> None:
            exec_module(module)
            for hook in pending.pop(fullname, ()):
                _run(hook, module)

        setattr(loader, _EXEC_MODULE, exec_and_hook)
        return spec


_finder: _Finder | None = None


def when_imported(name: str, hook: Hook) -> None:
    """Call ``hook(module)`` now if ``name`` is imported, else right after its import."""
    global _finder
    module = sys.modules.get(name)
    if module is not None:
        _run(hook, module)
        return
    if _finder is None or _finder not in sys.meta_path:
        _finder = _Finder()
        sys.meta_path.insert(0, _finder)
    _finder.pending.setdefault(name, []).append(hook)
