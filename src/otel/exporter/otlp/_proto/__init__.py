"""Private protobuf encoders for OTLP (pure Python, no protobuf dependency)."""
