from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from canvases.comments.access import mentions_of


def unread_mentions(request: HttpRequest) -> dict:
    """The header's unread count: one query, and only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_mentions": SimpleLazyObject(lambda: mentions_of(user).filter(read_at=None).count())
    }
