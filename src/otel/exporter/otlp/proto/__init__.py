"""OTLP exporters by protocol: ``proto.http`` (protobuf or JSON over HTTP), ``proto.grpc``."""
