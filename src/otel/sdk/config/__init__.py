"""Reading OTEL_* environment variables: typed, forgiving, read at call time.

See docs/configuration.md for every variable otel understands.
"""

from otel.sdk.config._env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_key_value_list,
    sdk_disabled,
)

__all__ = [
    "env_bool",
    "env_float",
    "env_int",
    "env_list",
    "env_str",
    "parse_key_value_list",
    "sdk_disabled",
]
