"""Which team a user is working in: remembered in the session, switched by visiting a team."""

from __future__ import annotations

from django.http import HttpRequest

from canvases.models import Membership

SESSION_KEY = "current_team_id"


def remember_team(request: HttpRequest, team_id: int) -> None:
    if request.session.get(SESSION_KEY) != team_id:
        request.session[SESSION_KEY] = team_id


def memberships_of(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("team").order_by("team__name"))


def current_membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
    """The remembered team if the user is still in it, else their first team."""
    remembered = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.team_id == remembered:
            return membership
    return memberships[0] if memberships else None
