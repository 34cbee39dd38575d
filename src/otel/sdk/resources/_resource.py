"""Resource: the immutable description of the entity producing telemetry.

``Resource.create()`` builds the SDK default (``telemetry.sdk.*``, a ``service.name``),
adds ``OTEL_RESOURCE_ATTRIBUTES`` / ``OTEL_SERVICE_NAME``, the detectors named in
``OTEL_EXPERIMENTAL_RESOURCE_DETECTORS`` and finally the caller's attributes. Process,
host and OS detectors are opt-in.
"""

from __future__ import annotations

import abc
import os
import sys
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import otel
from otel._log import get_logger
from otel.attributes import AttributeValue, clean_attributes
from otel.sdk.config import env_list, env_str, parse_key_value_list

_logger = get_logger("otel.sdk.resources")

# Semantic-convention keys used here (official constant names).
CLOUD_ACCOUNT_ID = "cloud.account.id"
CLOUD_AVAILABILITY_ZONE = "cloud.availability_zone"
CLOUD_PROVIDER = "cloud.provider"
CLOUD_REGION = "cloud.region"
CONTAINER_ID = "container.id"
CONTAINER_IMAGE_NAME = "container.image.name"
CONTAINER_IMAGE_TAG = "container.image.tag"
CONTAINER_NAME = "container.name"
DEPLOYMENT_ENVIRONMENT = "deployment.environment"
FAAS_ID = "faas.id"
FAAS_INSTANCE = "faas.instance"
FAAS_NAME = "faas.name"
FAAS_VERSION = "faas.version"
HOST_ARCH = "host.arch"
HOST_ID = "host.id"
HOST_IMAGE_ID = "host.image.id"
HOST_IMAGE_NAME = "host.image.name"
HOST_IMAGE_VERSION = "host.image.version"
HOST_NAME = "host.name"
HOST_TYPE = "host.type"
KUBERNETES_CLUSTER_NAME = "k8s.cluster.name"
KUBERNETES_CONTAINER_NAME = "k8s.container.name"
KUBERNETES_CRON_JOB_NAME = "k8s.cronjob.name"
KUBERNETES_CRON_JOB_UID = "k8s.cronjob.uid"
KUBERNETES_DAEMON_SET_NAME = "k8s.daemonset.name"
KUBERNETES_DAEMON_SET_UID = "k8s.daemonset.uid"
KUBERNETES_DEPLOYMENT_NAME = "k8s.deployment.name"
KUBERNETES_DEPLOYMENT_UID = "k8s.deployment.uid"
KUBERNETES_JOB_NAME = "k8s.job.name"
KUBERNETES_JOB_UID = "k8s.job.uid"
KUBERNETES_NAMESPACE_NAME = "k8s.namespace.name"
KUBERNETES_POD_NAME = "k8s.pod.name"
KUBERNETES_POD_UID = "k8s.pod.uid"
KUBERNETES_REPLICA_SET_NAME = "k8s.replicaset.name"
KUBERNETES_REPLICA_SET_UID = "k8s.replicaset.uid"
KUBERNETES_STATEFUL_SET_NAME = "k8s.statefulset.name"
KUBERNETES_STATEFUL_SET_UID = "k8s.statefulset.uid"
OS_DESCRIPTION = "os.description"
OS_TYPE = "os.type"
OS_VERSION = "os.version"
PROCESS_COMMAND = "process.command"
PROCESS_COMMAND_ARGS = "process.command_args"
PROCESS_COMMAND_LINE = "process.command_line"
PROCESS_EXECUTABLE_NAME = "process.executable.name"
PROCESS_EXECUTABLE_PATH = "process.executable.path"
PROCESS_OWNER = "process.owner"
PROCESS_PARENT_PID = "process.parent_pid"
PROCESS_PID = "process.pid"
PROCESS_RUNTIME_DESCRIPTION = "process.runtime.description"
PROCESS_RUNTIME_NAME = "process.runtime.name"
PROCESS_RUNTIME_VERSION = "process.runtime.version"
SERVICE_INSTANCE_ID = "service.instance.id"
SERVICE_NAME = "service.name"
SERVICE_NAMESPACE = "service.namespace"
SERVICE_VERSION = "service.version"
TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language"
TELEMETRY_SDK_NAME = "telemetry.sdk.name"
TELEMETRY_SDK_VERSION = "telemetry.sdk.version"
TELEMETRY_AUTO_VERSION = "telemetry.auto.version"

OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES"
OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME"
OTEL_EXPERIMENTAL_RESOURCE_DETECTORS = "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS"

_SDK_NAME = "otel"


class Resource:
    """Immutable attributes (and an optional schema URL) describing the telemetry source.

    Invalid attributes are dropped with a one-time warning. Equal when attributes and
    schema URL are equal; hashable.
    """

    __slots__ = ("_attributes", "_schema_url")

    def __init__(
        self, attributes: Mapping[str, AttributeValue] | None, schema_url: str | None = None
    ) -> None:
        cleaned, _ = clean_attributes(attributes)
        self._attributes: Mapping[str, AttributeValue] = MappingProxyType(cleaned)
        self._schema_url = schema_url if schema_url else ""

    @staticmethod
    def create(
        attributes: Mapping[str, AttributeValue] | None = None, schema_url: str | None = None
    ) -> Resource:
        """The SDK default resource, merged with the environment and then ``attributes``.

        Precedence (last wins): telemetry.sdk.* defaults and a per-process random
        ``service.instance.id`` (UUID v4, new in a forked child), configured detectors,
        OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, ``attributes``. A missing service.name
        becomes ``unknown_service:<executable name>``.
        """
        resource = _DEFAULT_RESOURCE.merge(Resource({SERVICE_INSTANCE_ID: _instance_id()}))
        for detector in _detectors_from_env():
            resource = resource.merge(_safe_detect(detector))
        resource = resource.merge(OTELResourceDetector().detect())
        resource = resource.merge(Resource(attributes, schema_url))
        if not resource.attributes.get(SERVICE_NAME):
            resource = resource.merge(Resource({SERVICE_NAME: _unknown_service()}))
        return resource

    @staticmethod
    def get_empty() -> Resource:
        return _EMPTY_RESOURCE

    @property
    def attributes(self) -> Mapping[str, AttributeValue]:
        return self._attributes

    @property
    def schema_url(self) -> str:
        return self._schema_url

    def merge(self, other: Resource) -> Resource:
        """A new resource: ``other``'s attributes override ours (spec "Merge").

        Schema URLs: an empty one yields to the other; two different non-empty ones are a
        merge error, logged, and ``self`` is returned unchanged.
        """
        if self._schema_url and other._schema_url and self._schema_url != other._schema_url:
            _logger.error(
                "Failed to merge resources: schema URLs differ (%r, %r)",
                self._schema_url,
                other._schema_url,
            )
            return self
        merged = dict(self._attributes)
        merged.update(other._attributes)
        return Resource._from_clean(merged, self._schema_url or other._schema_url)

    @classmethod
    def _from_clean(cls, attributes: dict[str, AttributeValue], schema_url: str) -> Resource:
        resource = cls.__new__(cls)
        resource._attributes = MappingProxyType(attributes)
        resource._schema_url = schema_url
        return resource

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Resource):
            return False
        return (
            dict(self._attributes) == dict(other._attributes)
            and self._schema_url == other._schema_url
        )

    def __hash__(self) -> int:
        return hash((frozenset(self._attributes.items()), self._schema_url))

    def __repr__(self) -> str:
        return f"Resource({dict(self._attributes)!r}, {self._schema_url!r})"

    def to_json(self, indent: int | None = 4) -> str:
        import json

        return json.dumps(
            {"attributes": dict(self._attributes), "schema_url": self._schema_url},
            indent=indent,
        )


_instance: tuple[int, str] | None = None


def _instance_id() -> str:
    """A random UUID v4 string, one per process (a forked child gets its own)."""
    global _instance
    pid = os.getpid()
    cached = _instance
    if cached is not None and cached[0] == pid:
        return cached[1]
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    value = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    _instance = (pid, value)
    return value


def _unknown_service() -> str:
    name = os.path.basename(sys.executable or "")
    return f"unknown_service:{name}" if name else "unknown_service"


_EMPTY_RESOURCE = Resource({})
_DEFAULT_RESOURCE = Resource(
    {
        TELEMETRY_SDK_LANGUAGE: "python",
        TELEMETRY_SDK_NAME: _SDK_NAME,
        TELEMETRY_SDK_VERSION: otel.__version__,
    }
)


class ResourceDetector(abc.ABC):
    """Finds attributes of the environment. ``raise_on_error`` makes failures raise."""

    def __init__(self, raise_on_error: bool = False) -> None:
        self.raise_on_error = raise_on_error

    @abc.abstractmethod
    def detect(self) -> Resource:
        """The detected resource (empty when nothing was found)."""


class OTELResourceDetector(ResourceDetector):
    """``OTEL_RESOURCE_ATTRIBUTES`` (percent-decoded ``k=v`` list) and ``OTEL_SERVICE_NAME``."""

    def detect(self) -> Resource:
        attributes: dict[str, AttributeValue] = {}
        raw = env_str(OTEL_RESOURCE_ATTRIBUTES)
        if raw:
            attributes.update(parse_key_value_list(raw, source=OTEL_RESOURCE_ATTRIBUTES))
        service_name = env_str(OTEL_SERVICE_NAME)
        if service_name:
            attributes[SERVICE_NAME] = service_name
        return Resource(attributes)


class ProcessResourceDetector(ResourceDetector):
    """process.* attributes of the running interpreter (opt-in).

    The command line (``process.command_line``, ``process.command_args``) may carry
    secrets, so it is reported only with ``include_command_args=True``.
    """

    def __init__(self, raise_on_error: bool = False, *, include_command_args: bool = False) -> None:
        super().__init__(raise_on_error)
        self.include_command_args = include_command_args

    def detect(self) -> Resource:
        argv = list(sys.argv)
        executable = sys.executable or ""
        attributes: dict[str, AttributeValue] = {
            PROCESS_PID: os.getpid(),
            PROCESS_PARENT_PID: os.getppid(),
            PROCESS_EXECUTABLE_NAME: os.path.basename(executable),
            PROCESS_EXECUTABLE_PATH: executable,
            PROCESS_RUNTIME_NAME: sys.implementation.name,
            PROCESS_RUNTIME_VERSION: ".".join(str(p) for p in sys.implementation.version[:3]),
            PROCESS_RUNTIME_DESCRIPTION: sys.version,
        }
        if argv:
            attributes[PROCESS_COMMAND] = argv[0]
            if self.include_command_args:
                attributes[PROCESS_COMMAND_LINE] = " ".join(argv)
                attributes[PROCESS_COMMAND_ARGS] = tuple(argv)
        try:
            import getpass

            attributes[PROCESS_OWNER] = getpass.getuser()
        except Exception:  # no user name in this environment
            pass
        return Resource(attributes)


class ServiceInstanceIdResourceDetector(ResourceDetector):
    """``service.instance.id``: the process's random UUID v4 (a forked child gets a new one).

    The same value ``Resource.create()`` puts into every resource of this process.
    """

    def detect(self) -> Resource:
        return Resource({SERVICE_INSTANCE_ID: _instance_id()})


class HostResourceDetector(ResourceDetector):
    """host.name and host.arch (opt-in)."""

    def detect(self) -> Resource:
        import platform
        import socket

        return Resource({HOST_NAME: socket.gethostname(), HOST_ARCH: platform.machine()})


class OsResourceDetector(ResourceDetector):
    """os.type (lowercase, e.g. ``linux``), os.version and os.description (opt-in)."""

    def detect(self) -> Resource:
        import platform

        system = platform.system().lower()
        attributes: dict[str, AttributeValue] = {OS_TYPE: system, OS_VERSION: platform.release()}
        description = platform.platform()
        if description:
            attributes[OS_DESCRIPTION] = description
        return Resource(attributes)


_DETECTORS: dict[str, type[ResourceDetector]] = {
    "otel": OTELResourceDetector,
    "process": ProcessResourceDetector,
    "host": HostResourceDetector,
    "os": OsResourceDetector,
}


def _detectors_from_env() -> list[ResourceDetector]:
    detectors: list[ResourceDetector] = []
    for name in env_list(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS):
        cls = _DETECTORS.get(name.lower())
        if cls is None:
            _logger.warning(
                "Unknown resource detector %r in %s", name, OTEL_EXPERIMENTAL_RESOURCE_DETECTORS
            )
        elif cls is not OTELResourceDetector:  # always applied by Resource.create
            detectors.append(cls())
    return detectors


def _safe_detect(detector: ResourceDetector) -> Resource:
    try:
        return detector.detect()
    except Exception:
        if detector.raise_on_error:
            raise
        _logger.warning("Resource detector %s failed", type(detector).__name__, exc_info=True)
        return _EMPTY_RESOURCE


def get_aggregated_resources(
    detectors: Sequence[ResourceDetector],
    initial_resource: Resource | None = None,
    timeout: float = 5,
) -> Resource:
    """Merge the detectors' resources, in order, onto ``initial_resource`` (default: empty).

    A failing detector is logged and skipped (unless its ``raise_on_error`` is set).
    ``timeout`` is accepted for compatibility; detectors here run in the calling thread.
    """
    resource = initial_resource if initial_resource is not None else _EMPTY_RESOURCE
    for detector in detectors:
        resource = resource.merge(_safe_detect(detector))
    return resource
