// Run with the machine's Node.js and the official OpenTelemetry JS SDK from tests/peers/js:
// node js_sender.cjs ENDPOINT (json|proto) SERVICE -> prints {"trace_id": ...}
const path = require("path");
const peers = path.join(__dirname, "..", "peers", "js", "node_modules");
const need = (name) => require(path.join(peers, name));
const api = need("@opentelemetry/api");
const { TracerProvider, SimpleSpanProcessor } = need("@opentelemetry/sdk-trace");
const { resourceFromAttributes } = need("@opentelemetry/resources");

const [endpoint, protocol, service] = process.argv.slice(2);
const { OTLPTraceExporter } = need(
  protocol === "proto" ? "@opentelemetry/exporter-trace-otlp-proto" : "@opentelemetry/exporter-trace-otlp-http"
);
const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces` });
const provider = new TracerProvider({
  resource: resourceFromAttributes({ "service.name": service, "js.peer": true }),
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
const tracer = provider.getTracer("js.tracer", "9.9.9");
const root = tracer.startSpan("GET /js", { kind: api.SpanKind.SERVER, attributes: { "http.status_code": 201, ratio: 0.25, ok: true, tags: ["p", "q"] } });
const child = tracer.startSpan("js-child", { kind: api.SpanKind.CLIENT }, api.trace.setSpan(api.ROOT_CONTEXT, root));
child.addEvent("tick", { n: 3 });
child.setStatus({ code: api.SpanStatusCode.ERROR, message: "js failure" });
child.end();
root.end();
provider.forceFlush().then(() => provider.shutdown()).then(() => {
  process.stdout.write(JSON.stringify({ trace_id: root.spanContext().traceId }) + "\n");
}, (err) => { process.stderr.write(String(err) + "\n"); process.exit(1); });
