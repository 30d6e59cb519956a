"""Marking mentions read: one update, whatever the number."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from canvases.models import Mention


def mark_read(*, mentions: QuerySet[Mention]) -> int:
    """Mark the (already permission-scoped) mentions read; those read before stay as they were."""
    return Mention.objects.filter(pk__in=mentions.filter(read_at=None).values("pk")).update(
        read_at=timezone.now()
    )
