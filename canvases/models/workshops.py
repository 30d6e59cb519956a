"""Workshops: a facilitator and guests on one canvas, with dot voting."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .board import BlockKind, Canvas, Note

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room


def new_join_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: the link alone lets a guest in


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))


class WorkshopQuerySet(models.QuerySet["Workshop"]):
    def running(self) -> WorkshopQuerySet:
        now = timezone.now()
        return self.filter(ended_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Workshop(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="workshops")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=120, blank=True)
    join_token = models.CharField(max_length=64, unique=True, default=new_join_token)
    join_code = models.CharField(max_length=8, unique=True, default=new_join_code)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    private_writing = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    focus_block = models.CharField(max_length=32, choices=BlockKind.choices, blank=True)
    # The timer: running until `timer_ends_at`, or paused with `timer_left` seconds to go.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_left = models.PositiveIntegerField(null=True, blank=True)
    voting_open = models.BooleanField(default=False)
    vote_block = models.CharField(max_length=32, choices=BlockKind.choices, blank=True)
    vote_budget = models.PositiveSmallIntegerField(default=3)
    voting_round = models.PositiveIntegerField(default=0)
    # Hybrid workshops: the facilitator's dots go to the room's ballot (the people in the room
    # without a device), within `room_budget` dots a round (0: no budget of its own).
    room_voting = models.BooleanField(default=False)
    room_budget = models.PositiveSmallIntegerField(default=0)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One workshop at a time per canvas, held by the database under parallel starts
            # (an expired one is ended before another starts: see workshops.start_workshop).
            models.UniqueConstraint(
                fields=["canvas"],
                condition=Q(ended_at__isnull=True),
                name="one_running_workshop_per_canvas",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"Workshop on {self.canvas}"

    def get_absolute_url(self) -> str:
        return reverse("canvases:workshop-summary", args=[self.pk])

    @property
    def is_running(self) -> bool:
        expired = self.expires_at is not None and self.expires_at <= timezone.now()
        return self.ended_at is None and not expired

    @property
    def timer_running(self) -> bool:
        return self.timer_ends_at is not None and self.timer_ends_at > timezone.now()

    def seconds_left(self) -> int | None:
        if self.timer_ends_at is not None:
            return max(0, int((self.timer_ends_at - timezone.now()).total_seconds()))
        return self.timer_left


class Guest(models.Model):
    """Someone in a workshop without an account: a display name and a browser session."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="guests")
    display_name = models.CharField(max_length=40)
    joined_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("canvases:workshop-summary", args=[self.workshop_id])


class Ballot(models.Model):
    """A voter's dots spent in one voting round: the row every vote increments atomically
    within the budget, so that parallel clicks cannot spend more than the budget. The room's
    ballot (`room`) is one per round, kept by the facilitator for the people in the room."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    room = models.BooleanField(default=False)
    dots_spent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(guest__isnull=False),
                name="ballot_of_one_voter",
            ),
            models.UniqueConstraint(
                fields=["workshop", "round", "user"],
                condition=Q(user__isnull=False, room=False),
                name="one_ballot_per_member_and_round",
            ),
            models.UniqueConstraint(
                fields=["workshop", "round"],
                condition=Q(room=True),
                name="one_room_ballot_per_round",
            ),
            models.CheckConstraint(
                condition=Q(room=False) | Q(user__isnull=False), name="room_ballot_kept_by_a_member"
            ),
            models.UniqueConstraint(
                fields=["workshop", "round", "guest"],
                condition=Q(guest__isnull=False),
                name="one_ballot_per_guest_and_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dots_spent} dot(s) in round {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("canvases:workshop-summary", args=[self.workshop_id])


class Vote(models.Model):
    """One dot on a note in a voting round (a person may put several dots on one note)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveIntegerField()
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    room = models.BooleanField(default=False)  # cast by the facilitator for the room
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(guest__isnull=False), name="vote_by_one_voter"
            )
        ]

    def __str__(self) -> str:
        return f"A dot on {self.note} (round {self.round})"

    def get_absolute_url(self) -> str:
        return reverse("canvases:workshop-summary", args=[self.workshop_id])
