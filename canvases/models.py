"""Teams, their canvases, the nine building blocks and the notes on them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

NOTE_MAX_LENGTH = 2000


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

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


def new_invitation_token() -> str:
    # 256 bits: the token alone grants entry to a team, so it must not be guessable.
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime:
    return timezone.now() + settings.INVITATION_LIFETIME


class Invitation(models.Model):
    """A link that lets whoever holds it join a team as an editor until it expires or is revoked."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation to {self.team}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class BlockKind(models.TextChoices):
    """The nine building blocks, in the order a team usually fills them in."""

    CUSTOMER_SEGMENTS = "customer_segments", "Customer Segments"
    VALUE_PROPOSITIONS = "value_propositions", "Value Propositions"
    CHANNELS = "channels", "Channels"
    CUSTOMER_RELATIONSHIPS = "customer_relationships", "Customer Relationships"
    REVENUE_STREAMS = "revenue_streams", "Revenue Streams"
    KEY_RESOURCES = "key_resources", "Key Resources"
    KEY_ACTIVITIES = "key_activities", "Key Activities"
    KEY_PARTNERS = "key_partners", "Key Partners"
    COST_STRUCTURE = "cost_structure", "Cost Structure"

    @property
    def question(self) -> str:
        return BLOCK_QUESTIONS[self]


BLOCK_QUESTIONS = {
    BlockKind.CUSTOMER_SEGMENTS: "For whom are we creating value? "
    "Who are our most important customers?",
    BlockKind.VALUE_PROPOSITIONS: "What value do we deliver? Which problems do we solve, "
    "which needs do we satisfy, for which segment?",
    BlockKind.CHANNELS: "Through which channels do our segments want to be reached, "
    "and which work best and cost least?",
    BlockKind.CUSTOMER_RELATIONSHIPS: "What relationship does each segment expect us "
    "to build and keep?",
    BlockKind.REVENUE_STREAMS: "For what value are customers willing to pay, how, "
    "and how much does each stream contribute?",
    BlockKind.KEY_RESOURCES: "Which resources (physical, intellectual, human, financial) "
    "does the value proposition require?",
    BlockKind.KEY_ACTIVITIES: "Which activities do the value propositions, channels "
    "and relationships require?",
    BlockKind.KEY_PARTNERS: "Who are our key partners and suppliers, and which resources "
    "or activities do they provide?",
    BlockKind.COST_STRUCTURE: "What are the most important costs, and which resources "
    "and activities are the most expensive?",
}

# Reading order of the poster (left to right, top to bottom): keyboard moves follow it.
POSTER_ORDER = [
    BlockKind.KEY_PARTNERS,
    BlockKind.KEY_ACTIVITIES,
    BlockKind.KEY_RESOURCES,
    BlockKind.VALUE_PROPOSITIONS,
    BlockKind.CUSTOMER_RELATIONSHIPS,
    BlockKind.CHANNELS,
    BlockKind.CUSTOMER_SEGMENTS,
    BlockKind.COST_STRUCTURE,
    BlockKind.REVENUE_STREAMS,
]


class NoteColour(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    PINK = "pink", "Pink"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    ORANGE = "orange", "Orange"
    PURPLE = "purple", "Purple"


def _my_role(user) -> Subquery:
    return Subquery(Membership.objects.filter(team=OuterRef("team"), user=user).values("role")[:1])


class CanvasQuerySet(models.QuerySet["Canvas"]):
    def alive(self) -> CanvasQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> CanvasQuerySet:
        return self.filter(deleted_at__isnull=False)

    def of_member(self, user) -> CanvasQuerySet:
        """Canvases of the user's teams, annotated with the user's role there (`my_role`)."""
        if not user.is_authenticated:
            return self.none()
        return self.annotate(my_role=_my_role(user)).filter(my_role__isnull=False)

    def viewable_by(self, user) -> CanvasQuerySet:
        return self.of_member(user).alive()

    def editable_by(self, user) -> CanvasQuerySet:
        return self.viewable_by(user).filter(my_role__in=[Role.EDITOR, Role.OWNER])

    def with_board(self, viewer: Viewer) -> CanvasQuerySet:
        """Everything the canvas page shows to `viewer`, in a fixed number of queries."""
        notes = Note.objects.visible_to(viewer).order_by("position", "pk")
        return self.select_related("team", "updated_by").prefetch_related(
            models.Prefetch("blocks__notes", queryset=notes)
        )


class Canvas(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="canvases")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(
        max_length=3, default="EUR", help_text="ISO 4217 code used for segment economics."
    )
    focus_segment_count = models.PositiveSmallIntegerField(
        "focus segments",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="How many of the top-ranked customer segments are the team's focus.",
    )
    # Goes up by one on every change; live updates and catch-up compare it.
    revision = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CanvasQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "canvases"
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["team", "deleted_at", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def role(self) -> Role | None:
        """The viewing user's role, when loaded through `of_member()`."""
        my_role = getattr(self, "my_role", None)
        return Role(my_role) if my_role else None

    @property
    def can_edit(self) -> bool:
        return self.role is not None and self.role.at_least(Role.EDITOR)

    @property
    def can_delete(self) -> bool:
        return self.role == Role.OWNER

    @property
    def purge_after(self):
        return self.deleted_at + settings.TRASH_RETENTION if self.deleted_at else None

    def board(self) -> list[Block]:
        """The blocks in poster order (uses prefetched blocks when there are some)."""
        by_kind = {block.kind: block for block in self.blocks.all()}
        for block in by_kind.values():
            block.canvas = self
        return [by_kind[kind] for kind in POSTER_ORDER if kind in by_kind]


class Block(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(max_length=32, choices=BlockKind.choices)
    # Set on the page during a workshop's dot voting; a default here spares every note of the
    # page a failed template lookup (an exception each) the rest of the time.
    votable = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["canvas", "kind"], name="one_block_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.canvas}"

    @property
    def kind_enum(self) -> BlockKind:
        return BlockKind(self.kind)

    @property
    def question(self) -> str:
        return self.kind_enum.question

    @property
    def live_notes(self) -> list[Note]:
        """The notes the page shows, in order: the prefetch of `with_board(viewer)` or
        `block_with_notes()`, which already applied the viewer's visibility rule."""
        return list(self.notes.all())

    def next_position(self) -> int:
        last = self.notes.alive().aggregate(models.Max("position"))["position__max"]
        return 0 if last is None else last + 1


@dataclass(frozen=True)
class Viewer:
    """Whoever reads a canvas: a member, a workshop guest, or nobody in particular
    (`EVERYONE`: what files, copies and summaries may carry)."""

    user_id: int | None = None
    guest_id: int | None = None

    def wrote(self, note: Note) -> bool:
        return self.is_author(author_id=note.author_id, guest_id=note.guest_id)

    def is_author(self, *, author_id: int | None, guest_id: int | None) -> bool:
        if self.user_id is not None and author_id == self.user_id:
            return True
        return self.guest_id is not None and guest_id == self.guest_id


EVERYONE = Viewer()


def hidden_from(viewer: Viewer, prefix: str = "") -> Q:
    """THE rule of private writing: a note is hidden from `viewer` while it is hidden and
    somebody else wrote it. Every read of notes, histories and versions goes through it.
    `prefix` reaches the note through a relation (`"note__"`)."""
    hidden = Q(**{f"{prefix}hidden": True})
    if viewer.user_id is not None:
        hidden &= ~Q(**{f"{prefix}author_id": viewer.user_id})
    if viewer.guest_id is not None:
        hidden &= ~Q(**{f"{prefix}guest_id": viewer.guest_id})
    return hidden


class NoteQuerySet(models.QuerySet["Note"]):
    def alive(self) -> NoteQuerySet:
        return self.filter(deleted_at__isnull=True)

    def readable_by(self, viewer: Viewer) -> NoteQuerySet:
        """Notes, live or in the trash, whose text `viewer` may read."""
        return self.exclude(hidden_from(viewer))

    def visible_to(self, viewer: Viewer) -> NoteQuerySet:
        """Live notes whose text `viewer` may read: what a page, a file or a copy shows."""
        return self.readable_by(viewer).alive()

    def hidden_from(self, viewer: Viewer) -> NoteQuerySet:
        """Notes, live or in the trash, whose text `viewer` may not read."""
        return self.filter(hidden_from(viewer))

    def in_trash(self) -> NoteQuerySet:
        return self.filter(deleted_at__isnull=False)

    def of_canvas(self, canvas: Canvas) -> NoteQuerySet:
        return self.filter(block__canvas=canvas)


class Note(models.Model):
    """A sticky note: one idea in one building block."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    colour = models.CharField(max_length=10, choices=NoteColour.choices, default=NoteColour.YELLOW)
    position = models.PositiveIntegerField(default=0)
    # Optimistic locking: every saved edit bumps it; an edit made on an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Workshops: a note by a guest, and private writing (hidden from others until revealed).
    guest = models.ForeignKey(
        "Guest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    hidden = models.BooleanField(default=False)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["block", "deleted_at", "position"])]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def ref(self) -> str:
        # A string, so that templates print it without number localisation (measurably faster
        # on a 450-note page, where every note prints its id several times).
        return str(self.pk)


def trash_cutoff() -> datetime:
    return timezone.now() - settings.TRASH_RETENTION


class ChangeRecordQuerySet(models.QuerySet["ChangeRecord"]):
    def seen_by(self, viewer: Viewer) -> ChangeRecordQuerySet:
        """Marks (`private`) the changes about a note still hidden from `viewer`."""
        hidden = Note.objects.filter(pk=OuterRef("note_id")).hidden_from(viewer)
        return self.annotate(private=models.Exists(hidden))


class ChangeRecord(models.Model):
    """One change to a canvas: who, when, what, and the state before and after."""

    PRIVATE_SUMMARY = "worked on a privately written note (shown once it is revealed)"

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    verb = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    target_id = models.BigIntegerField(null=True, blank=True)
    # The note a change is about, if any: private writing hides the change with the note.
    note = models.ForeignKey(
        "Note", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    undone_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="undoes"
    )

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-revision", "-pk"]
        indexes = [models.Index(fields=["canvas", "-revision"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def shown_summary(self) -> str:
        """The summary, unless it is about a note hidden from the viewer (`seen_by()`)."""
        return self.PRIVATE_SUMMARY if getattr(self, "private", False) else self.summary


class CanvasVersion(models.Model):
    """A named snapshot of a canvas's title, description and notes."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=120)
    comment = models.TextField(blank=True, max_length=2000)
    revision = models.PositiveIntegerField()
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Presence(models.Model):
    """An open page of a canvas (one per browser tab), and the note it is editing if any."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    guest = models.ForeignKey("Guest", on_delete=models.CASCADE, null=True, related_name="+")
    tab = models.CharField(max_length=32)
    editing_note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["canvas", "tab"], name="one_presence_per_tab")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.canvas}"


# Workshops: a facilitator and guests on one canvas

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


class Ballot(models.Model):
    """A voter's dots spent in one voting round: the row every vote increments atomically
    within the budget, so that parallel clicks cannot spend more than the budget."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    dots_spent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(guest__isnull=False),
                name="ballot_of_one_voter",
            ),
            models.UniqueConstraint(
                fields=["workshop", "round", "user"],
                condition=Q(user__isnull=False),
                name="one_ballot_per_member_and_round",
            ),
            models.UniqueConstraint(
                fields=["workshop", "round", "guest"],
                condition=Q(guest__isnull=False),
                name="one_ballot_per_guest_and_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dots_spent} dot(s) in round {self.round}"


class Vote(models.Model):
    """One dot on a note in a voting round (a person may put several dots on one note)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveIntegerField()
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(guest__isnull=False), name="vote_by_one_voter"
            )
        ]

    def __str__(self) -> str:
        return f"A dot on {self.note} (round {self.round})"


class AttemptCounter(models.Model):
    """How many attempts (wrong join codes, failed log-ins) a key made in its current window,
    shared by every process. Written only through `canvases.throttles`, with one atomic
    upsert per attempt."""

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.BigIntegerField(help_text="Unix time at which the count starts over.")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
