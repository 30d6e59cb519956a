"""Guests: people in a workshop without an account, known by their browser session."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import render

from canvases.models import Guest

SESSION_KEY = "guest_id"
STREAM_SUFFIX = "/events/"


def current_guest(request: HttpRequest) -> Guest | None:
    """The session's guest while their workshop runs and they were not revoked (else None)."""
    guest_id = request.session.get(SESSION_KEY)
    if not guest_id:
        return None
    guest = Guest.objects.select_related("workshop").filter(pk=guest_id, revoked_at=None).first()
    if guest is None or not guest.workshop.is_running:
        return None
    return guest


class GuestMiddleware:
    """Sets request.guest, checked afresh on every request: ending a workshop or revoking a
    guest takes effect on their very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.guest = None
        # Event streams look their guest up themselves, a few at a time (see live_views):
        # a whole workshop connecting at once must not take a database connection each here.
        if not request.path.endswith(STREAM_SUFFIX) and not request.user.is_authenticated:
            request.guest = current_guest(request)
        return self.get_response(request)


def member_or_guest(view):
    """Like login_required, but a guest of a running workshop may pass too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or getattr(request, "guest", None) is not None:
            return view(request, *args, **kwargs)
        if request.session.get(SESSION_KEY):
            # A guest whose workshop ended, expired, or who was removed.
            reason = "The workshop has ended, or the facilitator removed you from it."
            return render(request, "canvases/workshops/closed.html", {"reason": reason}, status=403)
        return redirect_to_login(request.get_full_path())

    return wrapper
