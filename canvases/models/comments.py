"""Comments: a thread on a note (or on an object an extension registers, such as a segment),
its comments, and the mentions that bring a comment to a member's inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .board import Canvas, Note, Viewer, hidden_from
from .workshops import Guest

COMMENT_MAX_LENGTH = 5000
NOTE_TARGET = "note"


class ThreadQuerySet(models.QuerySet["Thread"]):
    def readable_by(self, viewer: Viewer, prefix: str = "") -> ThreadQuerySet:
        """Threads `viewer` may read: a thread on a note private writing hides from them does
        not exist for them (the note's one rule, `hidden_from`, through the relation)."""
        return self.exclude(hidden_from(viewer, f"{prefix}note__"))


class Thread(models.Model):
    """The comments on one object of a canvas: a note (`note`), or an object an extension
    registered (`target_kind`, `target_id`, resolved through canvases.registry)."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="threads")
    # A note's thread follows it into the trash and back; purging the note deletes it.
    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="thread"
    )
    target_kind = models.SlugField(max_length=30, default=NOTE_TARGET)
    target_id = models.BigIntegerField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["canvas", "target_kind", "target_id"], name="one_thread_per_target"
            ),
            models.CheckConstraint(
                condition=~Q(target_kind=NOTE_TARGET) | Q(note__isnull=False),
                name="note_thread_has_its_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on {self.target_kind} {self.target_id}"

    def get_absolute_url(self) -> str:
        return reverse(
            "canvases:thread-detail", args=[self.canvas_id, self.target_kind, self.target_id]
        )

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


class CommentQuerySet(models.QuerySet["Comment"]):
    def readable_by(self, viewer: Viewer) -> CommentQuerySet:
        return self.exclude(hidden_from(viewer, "thread__note__"))


class Comment(models.Model):
    """One remark in a thread, by a member (`author`) or a workshop's guest (`guest`)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A comment imported from a canvas file whose author is no member of the importing team
    # keeps the name it was written under (as a guest's, when `imported_guest`); nobody can
    # edit it, and it mentions nobody.
    imported_author = models.CharField(max_length=150, blank=True, default="")
    imported_guest = models.BooleanField(default=False)
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
            models.CheckConstraint(
                condition=Q(author__isnull=True) | Q(guest__isnull=True),
                name="comment_by_a_member_or_a_guest",
            ),
            models.CheckConstraint(
                condition=Q(imported_author="") | Q(author__isnull=True, guest__isnull=True),
                name="imported_comment_has_no_account",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        """The comment in place: the canvas opens its thread (comments.js reads `thread`)."""
        thread = self.thread
        url = reverse("canvases:canvas-detail", args=[thread.canvas_id])
        return f"{url}?thread={thread.target_kind}-{thread.target_id}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        if self.guest_id:
            return f"{self.guest.display_name} (guest)"
        if self.imported_author:
            return f"{self.imported_author} ({'guest, ' if self.imported_guest else ''}imported)"
        return self.author.get_username() if self.author_id else "a former member"


class Mention(models.Model):
    """`@username` in a comment: the member finds the comment in their inbox."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} in comment {self.comment_id}"

    def get_absolute_url(self) -> str:
        return reverse("canvases:inbox")
