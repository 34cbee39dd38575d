"""The getting-started guide's Flask + requests example, traced end to end.

Every call of http://localhost:5000/ becomes ONE trace of three spans:

    SERVER  GET /             (Flask, this app)
      CLIENT  GET             (requests, calling this same app)
        SERVER  GET /backend  (Flask again, the trace context came in the headers)

Spans go over OTLP/HTTP to localhost:4318, where ``otel view`` listens (open
http://localhost:16686 to see them), or wherever OTEL_EXPORTER_OTLP_ENDPOINT points.
The port is 5000, or $FLASK_EXAMPLE_PORT.

Run: otel view &   then   python examples/flask_example.py   and open http://localhost:5000/
"""

import os

import flask
import requests

from otel import trace
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.instrumentation.flask import FlaskInstrumentor
from otel.instrumentation.requests import RequestsInstrumentor
from otel.sdk.resources import SERVICE_NAME, Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

PORT = int(os.environ.get("FLASK_EXAMPLE_PORT", "5000"))

trace.set_tracer_provider(
    TracerProvider(resource=Resource.create({SERVICE_NAME: "flask-example"}))
)
trace.get_tracer_provider().add_span_processor(  # type: ignore[attr-defined]
    BatchSpanProcessor(OTLPSpanExporter())
)

app = flask.Flask(__name__)
FlaskInstrumentor().instrument_app(app)
RequestsInstrumentor().instrument()


@app.route("/")
def hello() -> str:
    # An outgoing call: requests injects the trace context into its headers.
    answer = requests.get(f"http://127.0.0.1:{PORT}/backend", timeout=5)
    return f"hello (the backend said {answer.text!r})\n"


@app.route("/backend")
def backend() -> str:
    return "hi from the backend"


if __name__ == "__main__":
    # threaded: the root route calls this same server while it is still being served.
    # Ctrl-C stops it; pending spans are flushed at exit.
    app.run(host="127.0.0.1", port=PORT, threaded=True)
