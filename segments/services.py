"""Every write to customer segments goes through here, each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from canvases.models import Canvas, Note

from .models import Segment, SegmentColour, SegmentCriterion, SegmentSnapshot


class ForeignSegmentError(ValueError):
    """A note can only be linked to segments of its own canvas."""


def next_colour(canvas: Canvas) -> str:
    """The first palette colour no segment of the canvas uses yet (cycling when all are used)."""
    used = list(canvas.segments.values_list("colour", flat=True))
    for colour in SegmentColour.values:
        if colour not in used:
            return colour
    return SegmentColour.values[len(used) % len(SegmentColour.values)]


@transaction.atomic
def create_segment(*, canvas: Canvas, name: str, actor, **details) -> Segment:
    """Add a segment at the bottom of the ranking, with a colour of its own unless one is given."""
    last_rank = canvas.segments.aggregate(Max("rank"))["rank__max"]
    details["colour"] = details.get("colour") or next_colour(canvas)
    segment = Segment.objects.create(
        canvas=canvas, name=name, rank=0 if last_rank is None else last_rank + 1, **details
    )
    canvas.bump_revision(actor=actor)
    return segment


@transaction.atomic
def update_segment(*, segment: Segment, actor, **fields) -> Segment:
    """Change a segment's description, type, side, archetypes, colour or economics."""
    for name, value in fields.items():
        setattr(segment, name, value)
    segment.updated_at = timezone.now()
    segment.save(update_fields=[*fields, "updated_at"])
    segment.canvas.bump_revision(actor=actor)
    return segment


@transaction.atomic
def move_segment(*, segment: Segment, position: int, actor) -> Segment:
    """Rank a segment at `position` (0 = highest priority)."""
    others = [s for s in segment.canvas.segments.select_for_update().ranked() if s.pk != segment.pk]
    position = max(0, min(position, len(others)))
    others.insert(position, segment)
    for rank, each in enumerate(others):
        each.rank = rank
    Segment.objects.bulk_update(others, ["rank"])
    segment.canvas.bump_revision(actor=actor)
    return segment


@transaction.atomic
def delete_segment(*, segment: Segment, actor) -> None:
    """Remove a segment with its criteria, history and note links (the notes stay)."""
    canvas = segment.canvas
    segment.delete()
    canvas.bump_revision(actor=actor)


@transaction.atomic
def add_criterion(*, segment: Segment, base: str, text: str, actor) -> SegmentCriterion:
    """Describe a segment by one more short criterion under a segmentation base."""
    last = segment.criteria.filter(base=base).aggregate(Max("position"))["position__max"]
    criterion = segment.criteria.create(
        base=base, text=text, position=0 if last is None else last + 1
    )
    segment.canvas.bump_revision(actor=actor)
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: SegmentCriterion, actor) -> None:
    """Remove one segmentation criterion."""
    canvas = criterion.segment.canvas
    criterion.delete()
    canvas.bump_revision(actor=actor)


@transaction.atomic
def record_snapshot(*, segment: Segment, actor, on: date | None = None) -> SegmentSnapshot:
    """Store the segment's current figures under today's date (again today: replaced)."""
    snapshot, _ = SegmentSnapshot.objects.update_or_create(
        segment=segment,
        recorded_on=on or timezone.localdate(),
        defaults={**segment.figures(), "recorded_by": actor},
    )
    segment.canvas.bump_revision(actor=actor)
    return snapshot


@transaction.atomic
def update_snapshot(*, snapshot: SegmentSnapshot, actor, **fields) -> SegmentSnapshot:
    """Correct a recorded snapshot's date or figures."""
    for name, value in fields.items():
        setattr(snapshot, name, value)
    snapshot.save(update_fields=list(fields))
    snapshot.segment.canvas.bump_revision(actor=actor)
    return snapshot


@transaction.atomic
def delete_snapshot(*, snapshot: SegmentSnapshot, actor) -> None:
    """Remove one recorded snapshot from a segment's history."""
    canvas = snapshot.segment.canvas
    snapshot.delete()
    canvas.bump_revision(actor=actor)


@transaction.atomic
def set_note_segments(*, note: Note, segments: Iterable[Segment], actor) -> None:
    """Link a note to exactly these segments, which must be segments of the note's canvas."""
    segments = list(segments)
    canvas_id = note.block.canvas_id
    if any(segment.canvas_id != canvas_id for segment in segments):
        raise ForeignSegmentError("A note can only be linked to segments of its own canvas.")
    note.segments.set(segments)
    note.block.canvas.bump_revision(actor=actor)


def copy_segments(*, source: Canvas, target: Canvas, note_copies: dict[Note, Note]) -> None:
    """Copy the segments of `source`, with criteria, history and note links, into `target`."""
    copies_by_note_id = {note.pk: copy for note, copy in note_copies.items()}
    for segment in source.segments.prefetch_related("criteria", "snapshots"):
        old_pk = segment.pk
        criteria, snapshots = list(segment.criteria.all()), list(segment.snapshots.all())
        segment.pk, segment.canvas = None, target
        segment.save()
        for item in [*criteria, *snapshots]:
            item.pk, item.segment = None, segment
        SegmentCriterion.objects.bulk_create(criteria)
        SegmentSnapshot.objects.bulk_create(snapshots)
        linked = Segment.notes.through.objects.filter(segment_id=old_pk).values_list(
            "note_id", flat=True
        )
        segment.notes.set([copies_by_note_id[i] for i in linked if i in copies_by_note_id])
