"""What a request gets when the server cannot serve it now.

Overload (no free pooled database connection, PDF renderers all busy) and a database that is
away answer 503 with `Retry-After` and a message that says to try again, never a 500. Django
calls `server_error` (the 500 handler) for any exception no view handled, inside the
`except` block, so the exception is at hand; this module must not touch the database.
"""

from __future__ import annotations

import sqlite3
import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = "The server is busy right now. Nothing was lost: try again in a few seconds."
# SQLite's OperationalError also means a bad query; only these mean "busy or away".
SQLITE_BUSY = ("database is locked", "unable to open database")


def is_overload(error: BaseException | None) -> bool:
    """A database that is busy or away, as opposed to a bug."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return any(reason in str(cause) for reason in SQLITE_BUSY)
    # PostgreSQL (psycopg): refused or lost connections, "too many clients", pool timeouts
    # (psycopg_pool.PoolTimeout is an OperationalError), cancelled statements.
    return True


def busy(
    request: HttpRequest, message: str = BUSY_MESSAGE, *, retry_after: int = RETRY_AFTER_SECONDS
) -> HttpResponse:
    """503 with Retry-After: the message alone for htmx (common.js shows it), else a page."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        context = {"message": message, "retry_after": retry_after}
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: overload and outages become a 503, anything else a plain 500."""
    if is_overload(sys.exc_info()[1]):
        return busy(request)
    return HttpResponseServerError(render_to_string("500.html"))
