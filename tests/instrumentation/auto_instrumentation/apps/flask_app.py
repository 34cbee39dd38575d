"""An unmodified Flask app: a sqlite3 query at import time and one per request."""

import os
import sqlite3
import sys

from flask import Flask

connection = sqlite3.connect(":memory:", check_same_thread=False)
connection.execute("SELECT 'imported'")

app = Flask(__name__)


@app.route("/")
def index() -> str:
    connection.execute(f"SELECT {os.getpid()}")
    return str(os.getpid())


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=True)
