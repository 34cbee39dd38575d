"""Jaeger's generated Thrift types and Zipkin's compiled zipkin.proto, for decoding our output.

``scripts/setup.sh`` extracts them from pinned official wheels into ``tests/peers/.jaeger-gen``
and ``.zipkin-gen`` (ignored by git). A missing peer skips the test locally and fails it under
``CI=true``.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
JAEGER_GEN = HERE / ".jaeger-gen"
ZIPKIN_GEN = HERE / ".zipkin-gen"


def missing(what: str) -> Any:
    message = f"{what} is missing: run scripts/setup.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def jaeger_types() -> tuple[Any, Any]:
    """``(jaeger.ttypes, agent.Agent)`` from Jaeger's generated code, with ``thrift``."""
    try:
        import thrift  # noqa: F401
    except ImportError:
        missing("the thrift package")
    if not (JAEGER_GEN / "jaeger" / "ttypes.py").exists():
        missing("Jaeger's generated Thrift types")
    if str(JAEGER_GEN) not in sys.path:
        sys.path.append(str(JAEGER_GEN))
    from agent import Agent  # type: ignore[import-not-found]
    from jaeger import ttypes  # type: ignore[import-not-found]

    return ttypes, Agent


_ZIPKIN: dict[str, Any] = {}


def zipkin_messages() -> Any:
    """Zipkin's ``ListOfSpans`` message class, built from Zipkin's own file descriptor."""
    if "ListOfSpans" in _ZIPKIN:
        return _ZIPKIN["ListOfSpans"]
    source = ZIPKIN_GEN / "zipkin_pb2.py"
    if not source.exists():
        missing("Zipkin's compiled zipkin.proto")
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError:
        missing("the protobuf package")
    serialized = None
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.keyword) and node.arg == "serialized_pb":
            serialized = ast.literal_eval(node.value)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "AddSerializedFile"
            and node.args
        ):
            serialized = ast.literal_eval(node.args[0])
    assert isinstance(serialized, bytes), "no file descriptor in zipkin_pb2.py"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(descriptor_pb2.FileDescriptorProto.FromString(serialized))
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("zipkin.proto3.ListOfSpans"))
    _ZIPKIN["ListOfSpans"] = cls
    return cls


def decode_emit_batch(data: bytes) -> Any:
    """One ``Agent.emitBatch`` datagram, read by the ``thrift`` package (compact protocol)."""
    from thrift.protocol import TCompactProtocol
    from thrift.transport import TTransport

    _, agent = jaeger_types()
    protocol = TCompactProtocol.TCompactProtocol(TTransport.TMemoryBuffer(data))
    name, _, _ = protocol.readMessageBegin()
    assert name == "emitBatch"
    args = agent.emitBatch_args()
    args.read(protocol)
    return args.batch


def decode_binary_batch(data: bytes) -> Any:
    """A ``Batch`` struct in the binary protocol (a collector's body), read by ``thrift``."""
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TTransport

    ttypes, _ = jaeger_types()
    batch = ttypes.Batch()
    batch.read(TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data)))
    return batch
