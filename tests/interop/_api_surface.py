"""Describe the public surface of Python modules as JSON-able data (stdlib only).

Used twice by test_api_compat.py: run as a script under the official SDK's interpreter
(benchmarks/.venv-official) to describe the ``opentelemetry.*`` modules, and imported in
our .venv to describe the matching ``otel.*`` modules, so both sides are described by
exactly the same code.

    python _api_surface.py MODULE[:EXTRA,NAMES] ...  -> JSON {module: description} on stdout
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import sys
import types
from typing import Any

# Defaults we compare by value; anything else is recorded as "<object>" (present, not compared).
_LITERALS = (type(None), bool, int, float, str)


def _default(value: Any) -> Any:
    if value is inspect.Parameter.empty:
        return {"required": True}
    if type(value) in _LITERALS:
        return {"value": value}
    if isinstance(value, enum.Enum):
        return {"enum": f"{type(value).__name__}.{value.name}"}
    return {"object": True}


def _params(obj: Any, drop_first: bool = False) -> list[dict[str, Any]] | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if drop_first and params:
        params = params[1:]
    return [{"name": p.name, "kind": p.kind.name, "default": _default(p.default)} for p in params]


def _public_names(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return sorted(set(names))
    out = []
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        origin = getattr(value, "__module__", None)
        if (inspect.isclass(value) or inspect.isfunction(value)) and origin != module.__name__:
            continue  # imported from elsewhere, not defined here
        out.append(name)
    return sorted(out)


def _describe_class(cls: type) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name in dir(cls):
        if name.startswith("_") or not _defined_in_api(cls, name):
            continue
        try:
            static = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        if isinstance(static, staticmethod):
            members[name] = {"kind": "method", "params": _params(static.__func__)}
        elif isinstance(static, classmethod):
            members[name] = {"kind": "method", "params": _params(static.__func__, True)}
        elif inspect.isfunction(static):
            members[name] = {"kind": "method", "params": _params(static, True)}
        elif isinstance(static, property):
            members[name] = {"kind": "property"}
        else:
            members[name] = _describe_attribute(static)
    # An Enum's "constructor" is EnumType.__call__, whose signature changes between Python
    # versions; its members (compared above) are what the API defines.
    params = None if issubclass(cls, enum.Enum) else _params(cls)
    return {"kind": "class", "params": params, "members": members}


def _describe_attribute(value: Any) -> dict[str, Any]:
    """A class attribute; literal values (also an enum member's value) are recorded."""
    if isinstance(value, enum.Enum):
        value = value.value
    if type(value) in _LITERALS:
        return {"kind": "attribute", "value": value}
    return {"kind": "attribute"}


_API_PACKAGES = frozenset({"opentelemetry", "otel"})


def _defined_in_api(cls: type, name: str) -> bool:
    """True when ``name`` is defined by a class of the described packages themselves.

    Members inherited from the standard library (``BaseException.add_note``, the
    ``Mapping`` mixins, ...) depend on the Python version, not on the API: the two
    sides may be described by different interpreters, so they are left out.
    """
    return any(
        name in vars(k) for k in cls.__mro__ if k.__module__.partition(".")[0] in _API_PACKAGES
    )


def describe(module_name: str, extra: list[str] | None = None) -> dict[str, Any]:
    """``extra``: public names to describe although the module's ``__all__`` omits them."""
    module = importlib.import_module(module_name)
    out: dict[str, Any] = {}
    for name in sorted({*_public_names(module), *(extra or ())}):
        if not hasattr(module, name):
            out[name] = {"kind": "missing-in-module"}
            continue
        out[name] = describe_object(getattr(module, name))
    return out


def describe_object(value: Any) -> dict[str, Any]:
    if inspect.isclass(value):
        return _describe_class(value)
    if callable(value) and not isinstance(value, enum.Enum):
        return {"kind": "function", "params": _params(value)}
    if type(value) in _LITERALS:
        return {"kind": "value", "value": value}
    return {"kind": "value"}


def main(argv: list[str]) -> int:
    result: dict[str, Any] = {}
    for arg in argv:
        module_name, _, names = arg.partition(":")
        try:
            result[module_name] = describe(module_name, names.split(",") if names else None)
        except Exception as exc:  # reported, compared as an error by the test
            result[module_name] = {"__error__": f"{type(exc).__name__}: {exc}"}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
