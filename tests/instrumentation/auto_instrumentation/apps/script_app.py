"""An unmodified script: a span around a sqlite3 query and a log line inside it."""

import logging
import sqlite3
import sys

from otel import trace

connection = sqlite3.connect(":memory:")
with trace.get_tracer("script").start_as_current_span("work"):
    connection.execute("CREATE TABLE t (x)")
    connection.execute("SELECT x FROM t").fetchall()
    logging.getLogger("script").warning("inside the work span")
connection.close()
print("script done", file=sys.stderr)
