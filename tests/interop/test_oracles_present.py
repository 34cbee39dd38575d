"""In CI the real peers must be there: tests that use them skip locally, never in CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from _support.peers import (
    OFFICIAL_ORACLE_MODULES,
    OFFICIAL_PYTHON,
    ROOT,
    official_problem,
    peer_missing,
)

in_ci = pytest.mark.skipif(os.environ.get("CI") != "true", reason="only enforced with CI=true")


@in_ci
@pytest.mark.parametrize("module", OFFICIAL_ORACLE_MODULES)
def test_each_official_oracle_package_is_installed(module: str) -> None:
    proc = subprocess.run(
        [str(OFFICIAL_PYTHON), "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@in_ci
def test_official_packages_match_their_pins() -> None:
    pins = {}
    for line in (ROOT / "benchmarks" / "requirements-official.txt").read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            assert version, f"unpinned official package: {requirement!r}"
            pins[name.strip().lower()] = version.strip()
    script = (
        "import importlib.metadata as m, json, sys; "
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    proc = subprocess.run(
        [str(OFFICIAL_PYTHON), "-c", script, *pins],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == pins


@in_ci
def test_openssl_is_installed_for_the_tls_tests() -> None:
    assert shutil.which("openssl") is not None


@in_ci
def test_grpcio_and_opentelemetry_proto_are_importable() -> None:
    import grpc  # noqa: F401
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: F401


def test_a_missing_peer_fails_the_test_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="real peer missing under CI=true"):
        peer_missing("the Jaeger propagator is not installed")


def test_a_missing_peer_skips_the_test_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        peer_missing("the Jaeger propagator is not installed")


def test_one_missing_official_package_is_reported(official_python: str) -> None:
    problem = official_problem((*OFFICIAL_ORACLE_MODULES, "opentelemetry.propagators.nosuch"))
    assert problem is not None
    assert "nosuch" in problem
