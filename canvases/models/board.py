"""Canvases, their nine building blocks and the notes on them, and who may read which note
(private writing: `hidden_from`, the one rule every read of notes goes through)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from .teams import Membership, Role, Team

NOTE_MAX_LENGTH = 2000


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
        notes = Note.objects.visible_to(viewer).with_comment_counts().order_by("position", "pk")
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
    # Who reads it, set by canvases.access.canvas_for: a workshop guest, or a share link (its
    # holder reads, nothing more). Defaults here spare every template a failed lookup.
    guest = None
    share = None

    class Meta:
        verbose_name_plural = "canvases"
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["team", "deleted_at", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-detail", args=[self.pk])

    @property
    def role(self) -> Role | None:
        """The viewing user's role, when loaded through `of_member()`."""
        my_role = getattr(self, "my_role", None)
        return Role(my_role) if my_role else None

    @property
    def can_edit(self) -> bool:
        return self.role is not None and self.role.at_least(Role.EDITOR)

    @property
    def shows_member_names(self) -> bool:
        """Whether the page names members: always, unless read through a share link whose
        owner did not allow it."""
        return self.share is None or self.share.show_member_names

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

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-detail", args=[self.canvas_id]) + f"#block-{self.kind}"

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

    def with_comment_counts(self) -> NoteQuerySet:
        """Each note's `comment_count` and `thread_resolved_at`, in the same query (a page of
        450 notes costs no query more for its badges)."""
        return self.annotate(
            comment_count=models.Count("thread__comments"),
            thread_resolved_at=models.Max("thread__resolved_at"),
        )

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

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-detail", args=[self.block.canvas_id]) + f"#note-{self.pk}"

    @property
    def ref(self) -> str:
        # A string, so that templates print it without number localisation (measurably faster
        # on a 450-note page, where every note prints its id several times).
        return str(self.pk)


def trash_cutoff() -> datetime:
    return timezone.now() - settings.TRASH_RETENTION
