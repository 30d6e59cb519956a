"""Where to go after an action when the request names it (`next`): only a path on this site.

A `next` that the browser sends back is user input. Redirecting to it unchecked is an open
redirect (`next=https://evil.example` or the scheme-relative `//evil.example` after a real log-in
or undo lends this site's name to a phishing page; `javascript:` runs script). Every view that
redirects to a user-given place calls `next_url`; Django's log-in view checks its own.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    """The request's `next` (form, then query) when it is a path on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_site_path(target) else default


def is_site_path(url: str) -> bool:
    """True for "/canvases/1/"; false for another host, "//host", "/\\host" or any scheme."""
    # No allowed hosts: Django's check then refuses every URL that names a host or a scheme,
    # including the spellings browsers read as one ("//", backslashes, control characters).
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
