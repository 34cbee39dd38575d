"""An unmodified WSGI app (no framework): one sqlite3 query per request, answers its pid."""

import os
import sqlite3

connection = sqlite3.connect(":memory:", check_same_thread=False)
connection.execute("CREATE TABLE hits (pid INTEGER)")


def app(environ, start_response):
    pid = os.getpid()
    connection.execute(f"INSERT INTO hits VALUES ({pid})")
    body = str(pid).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
