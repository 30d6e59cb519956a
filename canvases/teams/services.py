"""Teams, their members and invitation links: every write in one transaction."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from canvases.models import Invitation, Membership, Role, Team

User = AbstractBaseUser


class LastOwnerError(Exception):
    """A team must keep at least one owner."""


class InvitationUsed(Exception):
    """A single-use invitation someone has already joined through."""


@transaction.atomic
def create_team(*, name: str, owner: User) -> Team:
    """Create a team with `owner` as its first owner."""
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


@transaction.atomic
def rename_team(*, team: Team, name: str) -> Team:
    """Give a team a new name."""
    team.name = name
    team.save(update_fields=["name"])
    return team


def create_invitation(
    *, team: Team, created_by: User, role: Role = Role.EDITOR, single_use: bool = False
) -> Invitation:
    """Make a fresh invitation link that lets its holder (or, single-use, one person) join
    `team` as a viewer or an editor."""
    return Invitation.objects.create(
        team=team, created_by=created_by, role=role, single_use=single_use
    )


def revoke_invitation(*, invitation: Invitation) -> None:
    """Stop an invitation link from working, at once."""
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's team with the role it gives; a member keeps the role they already
    have. A single-use link lets one person in: accepting claims it in one conditional update,
    so that of any number of accepts at the same moment exactly one wins."""
    existing = Membership.objects.filter(team_id=invitation.team_id, user=user).first()
    if existing is not None:
        return existing
    if invitation.single_use and not _claim(invitation):
        raise InvitationUsed("Someone has already joined through this link: it was for one person.")
    membership, created = Membership.objects.get_or_create(
        team_id=invitation.team_id,
        user=user,
        defaults={"role": invitation.role, "invitation": invitation},
    )
    if not created:
        # The same person accepted twice at once and the other accept made them a member:
        # this one changed nothing, and gives the claim back.
        transaction.set_rollback(True)
    return membership


def _claim(invitation: Invitation) -> bool:
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, single_use=True, used_at=None, revoked_at=None, expires_at__gt=now
    ).update(used_at=now)
    return claimed == 1


def _ensure_another_owner(membership: Membership) -> None:
    # Lock the team's owner rows so two owners demoting each other cannot both succeed.
    owners = list(
        Membership.objects.select_for_update().filter(team_id=membership.team_id).owners()
    )
    if membership.role == Role.OWNER and len(owners) <= 1:
        raise LastOwnerError("A team needs at least one owner: make someone else owner first.")


@transaction.atomic
def change_role(*, membership: Membership, role: Role) -> Membership:
    """Give a member another role; the last owner cannot step down."""
    if role != Role.OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    """Take a member out of a team (also how a member leaves); the last owner cannot go."""
    _ensure_another_owner(membership)
    membership.delete()
