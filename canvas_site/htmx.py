"""How htmx requests are told apart and answered."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def is_partial(request: HtmxHttpRequest) -> bool:
    """True when htmx swaps a fragment: not a boosted navigation, not a history restore."""
    return (
        bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request
    )


class HtmxLoginRedirectMiddleware:
    """A session that expired mid-edit sends the whole page to log in, not a fragment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        location = response.get("Location", "")
        if request.htmx and response.status_code == 302 and location.startswith(login_url):
            return HttpResponseClientRedirect(location)
        return response


def see_other(url: str) -> HttpResponseRedirect:
    """A 303: after a POST (or DELETE) the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def after_write(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Navigate after a write: a full-page redirect for htmx, a 303 for a plain form."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return see_other(url)
