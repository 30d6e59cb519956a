"""Share links: read-only, revocable, unguessable links to one canvas for people without an
account. Only a hash of each link's token is kept, like a password: a copy of the database
does not open anyone's canvas."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .board import Canvas


def new_share_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: the link alone lets its holder read the canvas


def share_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def usable(self) -> ShareLinkQuerySet:
        """Not revoked, not expired, on a canvas that is not in the trash."""
        now = timezone.now()
        return self.filter(revoked_at=None, canvas__deleted_at=None).filter(
            Q(expires_at=None) | Q(expires_at__gt=now)
        )


class ShareLink(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=80, blank=True)
    # Off by default: a link travels further than the team, and names are personal data.
    show_member_names = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"Share link to {self.canvas}"

    def get_absolute_url(self) -> str:
        """The canvas's share page, where the link is listed (the link itself is not kept)."""
        return reverse("canvases:share-list", args=[self.canvas_id]) + f"#share-{self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
