"""An unmodified script with multiprocessing children (fork and spawn) querying sqlite3."""

import multiprocessing
import os
import sqlite3
import sys


def work(tag: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"SELECT {os.getpid()}, '{tag}'")
    connection.close()


if __name__ == "__main__":
    method = sys.argv[1]
    context = multiprocessing.get_context(method)
    children = [context.Process(target=work, args=(method,)) for _ in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
    print(" ".join(str(child.pid) for child in children))
