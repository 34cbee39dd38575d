"""An instrumented Flask service as a user writes it (SDK configured at import, OTLP
export to OTEL_EXPORTER_OTLP_ENDPOINT), run by the tests under gunicorn and werkzeug.

Routes: /users/<id> answers; /call calls $DOWNSTREAM_URL/users/1 with requests.
"""

import os

import flask
import requests

from otel import trace
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.instrumentation.flask import FlaskInstrumentor
from otel.instrumentation.requests import RequestsInstrumentor
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider(resource=Resource.create())
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
RequestsInstrumentor().instrument()

app = flask.Flask(__name__)
FlaskInstrumentor().instrument_app(app)


@app.route("/users/<id>")
def user(id: str) -> str:
    return f"user {id} from {os.getpid()}"


@app.route("/call")
def call() -> str:
    return requests.get(os.environ["DOWNSTREAM_URL"] + "/users/1", timeout=10).text


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
