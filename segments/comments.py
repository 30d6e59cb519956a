"""Comment threads on segments and on profile entries (jobs, pains, gains): the targets
segments register with canvases (registry.CommentTarget), and the comment counts their cards
show, loaded for a whole list at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.urls import reverse

from canvases.changes import quote
from canvases.models import BlockKind, Canvas, Thread
from canvases.registry import CommentTarget

from .models import ProfileEntry, Segment

SEGMENT = "segment"
ENTRY = "profile-entry"
BADGE = "segments/comment_badge.html"


def find_segment(canvas: Canvas, segment_id: int) -> Segment | None:
    """A segment of the canvas: whoever reads the canvas reads its Customer Segments block."""
    segment = canvas.segments.filter(pk=segment_id).first()
    if segment is not None:
        segment.canvas = canvas
    return segment


def find_entry(canvas: Canvas, entry_id: int) -> ProfileEntry | None:
    """A job, pain or gain of one of the canvas's segments, for members and share-link readers
    (who read the profile page); a workshop's guest does not see profiles."""
    if getattr(canvas, "guest", None) is not None:
        return None
    entry = (
        ProfileEntry.objects.filter(segment__canvas=canvas, pk=entry_id)
        .select_related("segment")
        .first()
    )
    if entry is not None:
        entry.segment.canvas = canvas
    return entry


def segment_label(segment: Segment) -> str:
    return f"the segment {quote(segment.name, 40)}"


def entry_label(entry: ProfileEntry) -> str:
    kind = entry.get_list_display().lower().rstrip("s")
    return f"the {kind} {quote(entry.text, 40)} of {quote(entry.segment.name, 40)}"


def entry_place(canvas_id: int, entry_id: int) -> str:
    """Where an entry's thread opens in place: its segment's profile page (one query, for a
    link someone follows: the inbox sends it through its redirect)."""
    segment_id = ProfileEntry.objects.filter(pk=entry_id).values_list("segment_id", flat=True)
    found = segment_id.first()
    if found is None:
        return reverse("canvases:canvas-detail", args=[canvas_id])
    return reverse("segments:profile-detail", args=[canvas_id, found])


TARGETS = [
    CommentTarget(
        SEGMENT,
        find_segment,
        segment_label,
        "segmentsChanged",
        block=lambda segment: BlockKind.CUSTOMER_SEGMENTS.value,
        in_block=BlockKind.CUSTOMER_SEGMENTS.value,
        badge=f"{BADGE}#segment-comments",
    ),
    CommentTarget(
        ENTRY,
        find_entry,
        entry_label,
        "profileChanged",
        block=lambda entry: BlockKind.CUSTOMER_SEGMENTS.value,
        in_block=BlockKind.CUSTOMER_SEGMENTS.value,
        badge=f"{BADGE}#entry-comments",
        place=entry_place,
    ),
]


def attach_comment_counts(canvas: Canvas, kind: str, objects: Iterable[Any]) -> list:
    """Give each object `comment_count` and `thread_resolved_at` (one query for all); the
    objects, as a list."""
    objects = list(objects)
    counts: dict[int, tuple[int, Any]] = {}
    if objects:
        threads = Thread.objects.filter(
            canvas=canvas, target_kind=kind, target_id__in=[obj.pk for obj in objects]
        ).annotate(count=Count("comments"))
        counts = {t.target_id: (t.count, t.resolved_at) for t in threads}
    for obj in objects:
        obj.comment_count, obj.thread_resolved_at = counts.get(obj.pk, (0, None))
    return objects


def drop_threads(canvas: Canvas, kind: str, ids: Iterable[int]) -> None:
    """Delete the threads of objects that are gone for good (their comments and mentions go
    with them: nothing would open them any more). Inside the deleting service's transaction."""
    Thread.objects.filter(canvas=canvas, target_kind=kind, target_id__in=list(ids)).delete()
