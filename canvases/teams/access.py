"""Lookups of teams and memberships: another team answers 404, a role too low 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from canvases.access import require_role
from canvases.models import Invitation, Membership, Role, Team


def membership_for(user, team_id: int, *, at_least: Role = Role.VIEWER) -> Membership:
    """The user's membership of a team: 404 for another team, 403 for a role too low."""
    membership = get_object_or_404(
        Membership.objects.select_related("team"), team_id=team_id, user_id=user.pk
    )
    require_role(membership.role, at_least)
    return membership


def member_of(team: Team, membership_id: int) -> Membership:
    return get_object_or_404(team.memberships.select_related("user"), pk=membership_id)


def invitation_of(team: Team, invitation_id: int) -> Invitation:
    return get_object_or_404(team.invitations, pk=invitation_id)


def invitation_by_link(token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token=token).first()
