//go:build tools

// Pins Jaeger v2 (itself a Collector distribution with in-memory storage and the query
// API) for otel's interop tests; scripts/build-peers.sh builds its cmd/jaeger.
package tools

import _ "github.com/jaegertracing/jaeger/cmd/jaeger"
