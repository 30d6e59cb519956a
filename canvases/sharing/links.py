"""Share-link holders: whoever opened a share link, known by their browser session (like a
workshop's guests), who may read that canvas, its segments, profiles and PDF, and nothing else.

The whole rule is here, in one gate: `ShareMiddleware` answers 404 to a holder (a session with
share links and no account nor workshop) on every route but the reads marked with
`readable_through_share` of a canvas they hold a link to, and the public pages (log in, sign
up, the links themselves). Those reads pass the link to `canvases.access.canvas_for`, which
opens the canvas to read only. A revoked or expired link answers 410 with a page that says so.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from canvases.models import ShareLink, share_token_hash

from ..workshops.guests import SESSION_KEY as GUEST_SESSION_KEY
from ..workshops.guests import STREAM_SUFFIX

SESSION_KEY = "share_link_ids"
REMEMBERED = 20  # links one browser session holds at once; the oldest is forgotten
SAFE_METHODS = ("GET", "HEAD")
# Pages anyone may open, a holder too: accounts, and the links that let people in.
PUBLIC_ROUTES = frozenset(
    {
        "login",
        "logout",
        "signup",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "canvases:email-verify",
        "canvases:share-open",
        "canvases:invitation-accept",
        "canvases:workshop-join",
        "canvases:workshop-join-code",
    }
)
CLOSED = "canvases/sharing/closed.html"


def link_by_token(token: str) -> ShareLink | None:
    """The link a token opens, found by its hash (the token itself is kept nowhere)."""
    return (
        ShareLink.objects.select_related("canvas")
        .filter(token_hash=share_token_hash(token))
        .first()
    )


def remember(request: HttpRequest, link: ShareLink) -> None:
    held = [pk for pk in request.session.get(SESSION_KEY, []) if pk != link.pk]
    request.session[SESSION_KEY] = [link.pk, *held][:REMEMBERED]


def holds_links_only(request: HttpRequest) -> bool:
    """A holder and nothing more: no account, not a workshop's guest (even an ended one's)."""
    return (
        bool(request.session.get(SESSION_KEY))
        and not request.user.is_authenticated
        and not request.session.get(GUEST_SESSION_KEY)
    )


def is_holder(request: HttpRequest) -> bool:
    """Reading through a link: no account, and a usable link to the canvas asked for."""
    return getattr(request, "share", None) is not None and not request.user.is_authenticated


def closed_page(request: HttpRequest, *, status: int = 410) -> HttpResponse:
    return render(request, CLOSED, {"response_status": status}, status=status)


class ShareMiddleware:
    """Sets request.shares (the session's usable links, by canvas) and, for a route with a
    canvas, request.share; checked afresh on every request, so that revoking a link or its
    expiry takes effect on the holder's very next request. Keeps holders inside their canvas."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.share, request.shares, request.lapsed_shares = None, {}, {}
        held = request.session.get(SESSION_KEY)
        # Streams are refused below without a query: a holder's page opens none.
        if held and not request.path.endswith(STREAM_SUFFIX):
            for link in ShareLink.objects.select_related("canvas").filter(pk__in=held):
                usable = link.is_usable and link.canvas.deleted_at is None
                (request.shares if usable else request.lapsed_shares)[link.canvas_id] = link
        request.noindex = bool(held)
        response = self.get_response(request)
        if request.noindex:
            # Whatever a link shows stays out of search engines, even if the link is posted.
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        canvas_id = view_kwargs.get("canvas_id")
        request.share = request.shares.get(canvas_id)
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name == "canvases:share-open":
            request.noindex = True
        if not holds_links_only(request) or name in PUBLIC_ROUTES:
            return None
        if getattr(view_func, "share_readable", False) and request.method in SAFE_METHODS:
            if request.share is not None:
                return None
            if canvas_id in request.lapsed_shares:
                return closed_page(request)
        raise Http404("No such page.")


def readable_through_share(gate: Callable) -> Callable:
    """Mark a read that a holder may make on their canvas (see ShareMiddleware), letting the
    holder past `gate` (login_required, member_or_guest) that everyone else still meets."""

    def decorate(view):
        gated = gate(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_holder(request):
                return view(request, *args, **kwargs)
            return gated(request, *args, **kwargs)

        wrapper.share_readable = True
        return wrapper

    return decorate
