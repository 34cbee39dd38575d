"""Resource names found by tests/interop/test_api_compat.py."""

from __future__ import annotations

import sys

import pytest

from otel.sdk.resources import (
    KUBERNETES_POD_NAME,
    PROCESS_COMMAND_ARGS,
    PROCESS_COMMAND_LINE,
    SERVICE_INSTANCE_ID,
    ProcessResourceDetector,
    Resource,
    ServiceInstanceIdResourceDetector,
)


def test_process_detector_leaves_the_command_line_out_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "--password=secret"])
    attributes = ProcessResourceDetector().detect().attributes
    assert PROCESS_COMMAND_ARGS not in attributes
    assert PROCESS_COMMAND_LINE not in attributes
    assert attributes["process.command"] == "app.py"


def test_process_detector_reports_the_command_line_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "-v"])
    attributes = ProcessResourceDetector(include_command_args=True).detect().attributes
    assert attributes[PROCESS_COMMAND_ARGS] == ("app.py", "-v")
    assert attributes[PROCESS_COMMAND_LINE] == "app.py -v"


def test_service_instance_id_detector_matches_resource_create() -> None:
    detected = ServiceInstanceIdResourceDetector().detect().attributes[SERVICE_INSTANCE_ID]
    assert detected == Resource.create().attributes[SERVICE_INSTANCE_ID]
    assert len(str(detected)) == 36


def test_kubernetes_constants_use_the_k8s_namespace() -> None:
    assert KUBERNETES_POD_NAME == "k8s.pod.name"
