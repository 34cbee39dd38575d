"""Getting started, "Configure exporters to emit spans elsewhere": traces to Jaeger.

Run a Jaeger agent on localhost:6831/udp (``otel view`` listens there, as does Jaeger's
all-in-one container: ``docker run -p 16686:16686 -p 6831:6831/udp jaegertracing/all-in-one``),
then: python examples/jaeger_example.py

Open http://localhost:16686, pick the service "my-helloworld-service" and find the trace:
``foo`` with ``bar`` inside it and ``baz`` inside that. ``OTEL_EXPORTER_JAEGER_AGENT_HOST`` and
``OTEL_EXPORTER_JAEGER_AGENT_PORT`` point the exporter elsewhere.
"""

from otel import trace
from otel.exporter.jaeger.thrift import JaegerExporter
from otel.sdk.resources import SERVICE_NAME, Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

# The service name is how the Jaeger UI lists this program.
provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "my-helloworld-service"}))

# Spans go, in batches, to the Jaeger agent over UDP (Thrift compact). The defaults are
# agent_host_name="localhost", agent_port=6831, unless OTEL_EXPORTER_JAEGER_AGENT_* say otherwise.
jaeger_exporter = JaegerExporter()
provider.add_span_processor(BatchSpanProcessor(jaeger_exporter))
trace.set_tracer_provider(provider)

tracer = trace.get_tracer(__name__)

with tracer.start_as_current_span("foo"):  # noqa: SIM117 - nesting shown on purpose
    with tracer.start_as_current_span("bar"):
        with tracer.start_as_current_span("baz"):
            print("Hello world from otel, traced to Jaeger!")

# Optional here: the provider also shuts down (and flushes) when the interpreter exits.
provider.shutdown()
