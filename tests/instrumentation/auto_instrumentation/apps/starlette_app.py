"""An unmodified Starlette app: one sqlite3 query per request, answers its pid."""

import os
import sqlite3

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

connection = sqlite3.connect(":memory:", check_same_thread=False)


async def index(request):
    connection.execute(f"SELECT {os.getpid()}")
    return PlainTextResponse(str(os.getpid()))


app = Starlette(routes=[Route("/", index)])
