"""Global propagation API: ``inject``, ``extract``, ``get_global_textmap``,
``set_global_textmap`` (default propagators from ``OTEL_PROPAGATORS``)."""

from otel.propagate._propagate import (
    _reset_global_textmap,
    extract,
    get_global_textmap,
    inject,
    set_global_textmap,
)

__all__ = [
    "_reset_global_textmap",
    "extract",
    "get_global_textmap",
    "inject",
    "set_global_textmap",
]
