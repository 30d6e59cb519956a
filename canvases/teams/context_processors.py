from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .session import current_membership, memberships_of


def current_team(request: HttpRequest) -> dict:
    """The team switcher in the header: evaluated only when a template shows it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    memberships = SimpleLazyObject(lambda: memberships_of(request.user))
    return {
        "my_memberships": memberships,
        "current_membership": SimpleLazyObject(
            lambda: current_membership(request, memberships) or {}
        ),
    }
