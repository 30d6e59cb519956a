"""Who has a canvas open, one row per open page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .board import Canvas, Note


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

    def get_absolute_url(self) -> str:
        return reverse("canvases:canvas-detail", args=[self.canvas_id])
