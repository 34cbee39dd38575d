from __future__ import annotations

import logging
import os
import sys

import pytest

from otel.sdk.resources import (
    OTEL_RESOURCE_ATTRIBUTES,
    OTEL_SERVICE_NAME,
    HostResourceDetector,
    OsResourceDetector,
    ProcessResourceDetector,
    Resource,
    ResourceDetector,
    get_aggregated_resources,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        OTEL_RESOURCE_ATTRIBUTES,
        OTEL_SERVICE_NAME,
        "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS",
    ):
        monkeypatch.delenv(name, raising=False)


def test_create_has_telemetry_sdk_attributes() -> None:
    attributes = Resource.create().attributes
    assert attributes["telemetry.sdk.language"] == "python"
    assert attributes["telemetry.sdk.name"] == "otel"
    assert isinstance(attributes["telemetry.sdk.version"], str)


def test_create_defaults_service_name_to_unknown_service_and_executable() -> None:
    expected = f"unknown_service:{os.path.basename(sys.executable)}"
    assert Resource.create().attributes["service.name"] == expected


def test_otel_resource_attributes_are_percent_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OTEL_RESOURCE_ATTRIBUTES, "deployment.environment=prod,team=a%20b%2Cc")
    attributes = Resource.create().attributes
    assert attributes["deployment.environment"] == "prod"
    assert attributes["team"] == "a b,c"


def test_otel_service_name_wins_over_resource_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OTEL_RESOURCE_ATTRIBUTES, "service.name=from-attrs")
    monkeypatch.setenv(OTEL_SERVICE_NAME, "from-service-name")
    assert Resource.create().attributes["service.name"] == "from-service-name"


def test_explicit_attributes_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OTEL_SERVICE_NAME, "env")
    resource = Resource.create({"service.name": "code"})
    assert resource.attributes["service.name"] == "code"


def test_malformed_resource_attribute_entry_is_skipped(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(OTEL_RESOURCE_ATTRIBUTES, "good=1,broken,also=2")
    attributes = Resource.create().attributes
    assert attributes["good"] == "1" and attributes["also"] == "2"
    assert "broken" not in attributes


def test_merge_updating_resource_wins() -> None:
    merged = Resource({"a": 1, "b": 2}).merge(Resource({"b": 3, "c": 4}))
    assert dict(merged.attributes) == {"a": 1, "b": 3, "c": 4}


def test_merge_schema_url_empty_yields_to_other() -> None:
    assert Resource({}, "").merge(Resource({}, "s1")).schema_url == "s1"
    assert Resource({}, "s1").merge(Resource({}, "")).schema_url == "s1"
    assert Resource({}, "s1").merge(Resource({}, "s1")).schema_url == "s1"


def test_merge_conflicting_schema_urls_logs_and_keeps_old(
    caplog: pytest.LogCaptureFixture,
) -> None:
    old = Resource({"a": 1}, "s1")
    with caplog.at_level(logging.ERROR):
        merged = old.merge(Resource({"b": 2}, "s2"))
    assert merged is old
    assert "schema" in caplog.text


def test_resource_is_immutable() -> None:
    resource = Resource({"a": 1})
    with pytest.raises(TypeError):
        resource.attributes["a"] = 2  # type: ignore[index]


def test_invalid_attributes_are_dropped() -> None:
    resource = Resource({"ok": 1, "bad": object()})  # type: ignore[dict-item]
    assert dict(resource.attributes) == {"ok": 1}


def test_equality_and_hash() -> None:
    assert Resource({"a": 1}, "s") == Resource({"a": 1}, "s")
    assert hash(Resource({"a": 1}, "s")) == hash(Resource({"a": 1}, "s"))
    assert Resource({"a": 1}) != Resource({"a": 2})


def test_empty_resource() -> None:
    assert dict(Resource.get_empty().attributes) == {}


def test_to_json() -> None:
    import json

    assert json.loads(Resource({"a": 1}, "s").to_json()) == {
        "attributes": {"a": 1},
        "schema_url": "s",
    }


def test_process_detector() -> None:
    attributes = ProcessResourceDetector().detect().attributes
    assert attributes["process.pid"] == os.getpid()
    assert attributes["process.runtime.name"] == sys.implementation.name
    assert attributes["process.executable.path"] == sys.executable


def test_host_and_os_detectors() -> None:
    import platform
    import socket

    host = HostResourceDetector().detect().attributes
    assert host["host.name"] == socket.gethostname()
    assert OsResourceDetector().detect().attributes["os.type"] == platform.system().lower()


def test_detectors_are_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "process.pid" not in Resource.create().attributes
    monkeypatch.setenv("OTEL_EXPERIMENTAL_RESOURCE_DETECTORS", "process,host")
    attributes = Resource.create().attributes
    assert attributes["process.pid"] == os.getpid()
    assert "host.name" in attributes


class _Failing(ResourceDetector):
    def detect(self) -> Resource:
        raise RuntimeError("no metadata service")


def test_aggregated_resources_skip_failing_detector() -> None:
    resource = get_aggregated_resources([_Failing(), ProcessResourceDetector()])
    assert resource.attributes["process.pid"] == os.getpid()


def test_aggregated_resources_raise_when_asked() -> None:
    with pytest.raises(RuntimeError):
        get_aggregated_resources([_Failing(raise_on_error=True)])


def test_create_adds_a_per_process_service_instance_id() -> None:
    import uuid

    first = Resource.create().attributes["service.instance.id"]
    assert uuid.UUID(str(first)).version == 4
    assert Resource.create().attributes["service.instance.id"] == first


def test_service_instance_id_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OTEL_RESOURCE_ATTRIBUTES, "service.instance.id=pod-7")
    assert Resource.create().attributes["service.instance.id"] == "pod-7"


def test_forked_child_gets_its_own_service_instance_id() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    parent_id = Resource.create().attributes["service.instance.id"]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write_fd, str(Resource.create().attributes["service.instance.id"]).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        child_id = pipe.read()
    os.waitpid(pid, 0)
    assert child_id and child_id != parent_id
