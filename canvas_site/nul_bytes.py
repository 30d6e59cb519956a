"""Refuse a request that carries a NUL character, before any view or query sees it.

PostgreSQL text cannot hold NUL ("A string literal cannot contain NUL (0x00) characters"), so a
NUL in a path (`/join/%00/`), a query value (`?q=%00`), a form field or the session cookie
(`sessionid="…\\000"`, which the session store looks up) would reach the database and answer 500.
Nobody types NUL: refusing the whole request with a 400 here covers every view, present and
future, instead of each form remembering it. Other cookies are left alone (the app reads none,
and a stray one must not lock anybody out), and so are uploaded files (their content is the
business of whoever reads them, e.g. the canvas-file importer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

NUL = "\x00"
MESSAGE = "This request contains a NUL character (\\0), which no page of this site accepts."


class RefuseNulBytesMiddleware:
    """A 400 with a short plain-text message for a request carrying NUL anywhere it reads text."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def carries_nul(request: HttpRequest) -> bool:
    """True when the path, a query or form field's name or value, or the session id has NUL."""
    session_id = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    texts: list[Iterable[str]] = [[request.path, session_id], words_of(request.GET)]
    if request.method == "POST":
        # Parsing the body here is no extra cost: CSRF protection reads request.POST anyway.
        texts.append(words_of(request.POST))
    return any(NUL in text for group in texts for text in group)


def words_of(data: QueryDict) -> Iterable[str]:
    for key, values in data.lists():
        yield key
        yield from values
