"""Teams, the roles of their members, and the links that invite people into them."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"

    @property
    def rank(self) -> int:
        return _ROLE_RANKS[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_ROLE_RANKS = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Team(models.Model):
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-list", args=[self.pk])


class MembershipQuerySet(models.QuerySet["Membership"]):
    def owners(self) -> MembershipQuerySet:
        return self.filter(role=Role.OWNER)


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    joined_at = models.DateTimeField(default=timezone.now)
    # The link they joined through (shown to owners on the members page), if any.
    invitation = models.ForeignKey(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    def get_absolute_url(self) -> str:
        return reverse("canvases:team-members", args=[self.team_id])

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


def new_invitation_token() -> str:
    # 256 bits: the token alone grants entry to a team, so it must not be guessable.
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime:
    return timezone.now() + settings.INVITATION_LIFETIME


INVITABLE_ROLES = [(Role.VIEWER.value, Role.VIEWER.label), (Role.EDITOR.value, Role.EDITOR.label)]


class Invitation(models.Model):
    """A link that lets whoever holds it join a team, as a viewer or an editor, until it expires,
    is revoked or, when single-use, someone has joined through it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Owners are made from the members list, never by a link that may be forwarded.
    role = models.CharField(max_length=10, choices=INVITABLE_ROLES, default=Role.EDITOR)
    single_use = models.BooleanField(default=False)
    # Set once, by the one accept that wins (an atomic conditional update): single-use links.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["viewer", "editor"]), name="invitation_role_not_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(used_at=None) | models.Q(single_use=True),
                name="invitation_used_only_when_single_use",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.team}"

    def get_absolute_url(self) -> str:
        """The link itself: whoever opens it may join the team."""
        return reverse("canvases:invitation-accept", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.used_at is None and self.expires_at > timezone.now()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
