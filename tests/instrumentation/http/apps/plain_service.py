"""A Flask app that is instrumented but configures no SDK (gunicorn_conf.post_fork does)."""

import flask

from otel.instrumentation.flask import FlaskInstrumentor

app = flask.Flask(__name__)
FlaskInstrumentor().instrument_app(app)


@app.route("/users/<id>")
def user(id: str) -> str:
    return f"user {id}"
