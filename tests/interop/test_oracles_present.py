"""In CI the real peers must be there: tests that use them skip locally, never in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_PYTHON = ROOT / "benchmarks" / ".venv-official" / "bin" / "python"

_IMPORTS = "import opentelemetry.sdk.trace, opentelemetry.propagators.b3"

in_ci = pytest.mark.skipif(os.environ.get("CI") != "true", reason="only enforced with CI=true")


@in_ci
def test_official_sdk_venv_is_provisioned() -> None:
    proc = subprocess.run(
        [
            str(OFFICIAL_PYTHON),
            "-c",
            "import opentelemetry.sdk.trace, opentelemetry.propagators.b3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


@in_ci
def test_openssl_is_installed_for_the_tls_tests() -> None:
    assert shutil.which("openssl") is not None


@in_ci
def test_grpcio_and_opentelemetry_proto_are_importable() -> None:
    import grpc  # noqa: F401
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: F401
