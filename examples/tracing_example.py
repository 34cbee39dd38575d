"""Getting started with tracing: three nested spans printed to the console.

Run: python examples/tracing_example.py

The spans are printed when they are exported: the innermost (``baz``) ends first, so it
is printed first, then ``bar``, then ``foo``. All three share one trace id, and each
span's ``parent_id`` is the ``span_id`` of the span around it.
"""

from otel import trace
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

# A provider whose spans go, in batches, to an exporter that prints them as JSON.
provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))

# Make it the global provider, so that trace.get_tracer() uses it.
trace.set_tracer_provider(provider)

tracer = trace.get_tracer("my.tracer.name")

with tracer.start_as_current_span("foo"):  # noqa: SIM117 - nesting shown on purpose
    with tracer.start_as_current_span("bar"):
        with tracer.start_as_current_span("baz"):
            print("Hello world from otel!")

# Optional here: the provider also shuts down (and flushes) when the interpreter exits.
provider.shutdown()
