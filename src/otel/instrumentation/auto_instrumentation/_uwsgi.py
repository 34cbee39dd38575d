"""uWSGI under ``otel run``: its workers must run Python's after-fork handlers.

uWSGI forks its workers in C. Unless started with ``--py-call-uwsgi-fork-hooks``, it does
not call ``PyOS_AfterFork_Child``, so the handlers registered with ``os.register_at_fork``
never run in a worker: the batch processors' threads are not restarted (nothing would be
exported), locks held at fork time stay held, and every worker would draw the same trace
ids. Calling ``PyOS_AfterFork_Child`` (through ctypes) from uWSGI's Python post-fork hook
hung the workers when we tried (it re-creates the GIL that hook holds), so otel does not:
it tells the user, once, on stderr, to add the option.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _option(opt: Any, name: str) -> bool:
    for key in (name, name.encode()):
        value = opt.get(key)
        if value not in (None, False, b"", "", b"0", "0"):
            return True
    return False


_ADVICE = (
    "otel: under uWSGI, start it with --py-call-uwsgi-fork-hooks so that its workers run "
    "Python's after-fork handlers (otel restarts its export threads there); without it "
    "the workers export nothing\n"
)


def _check(uwsgi: Any) -> None:
    if not _option(getattr(uwsgi, "opt", {}), "py-call-uwsgi-fork-hooks"):
        sys.stderr.write(_ADVICE)


def prepare_uwsgi_workers() -> bool:
    """Under uWSGI, check its options once the ``uwsgi`` module exists; True under uWSGI.

    ``sitecustomize`` runs before uWSGI creates its ``uwsgi`` module, so the check is
    made by an audit hook at the first audited event (an import, a compile, an
    exec: loading the application makes several) after the module exists. The audit
    hook then returns at its first line for the rest of the process.
    """
    if "UWSGI_ORIGINAL_PROC_NAME" not in os.environ and "uwsgi" not in sys.modules:
        return False
    state = {"done": False}

    def audit(event: str, args: Any) -> None:
        if state["done"]:
            return
        uwsgi = sys.modules.get("uwsgi")
        if uwsgi is None:
            return
        state["done"] = True
        try:
            _check(uwsgi)
        except Exception:  # pragma: no cover - never break uWSGI
            pass

    sys.addaudithook(audit)
    return True
