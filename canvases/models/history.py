"""What history keeps: every change with its state before and after, and named versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef
from django.urls import reverse
from django.utils import timezone

from .board import Canvas, Note, Viewer


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

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-history", args=[self.canvas_id])

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

    def get_absolute_url(self) -> str:
        """What changed since: the version against the canvas now."""
        url = reverse("canvases:version-compare", args=[self.canvas_id])
        return f"{url}?a={self.pk}&b=current"
