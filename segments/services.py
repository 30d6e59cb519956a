"""Every write to customer segments goes through here, each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from canvases.changes import quote, record_change
from canvases.models import Canvas, Note
from canvases.services import edit_note

from .comments import ENTRY, SEGMENT, drop_threads
from .models import (
    Segment,
    SegmentColour,
    SegmentCriterion,
    SegmentSnapshot,
)


class ForeignSegmentError(ValueError):
    """A note can only be linked to segments of its own canvas."""


def _state(obj, fields) -> dict:
    """The named fields as JSON-friendly text: what history keeps before and after a change."""
    return {
        name: None if getattr(obj, name) is None else str(getattr(obj, name)) for name in fields
    }


def apply_fields(obj, fields: dict, *, also: tuple[str, ...] = ()) -> tuple[dict, dict] | None:
    """Set and save the `fields` that differ from what is stored; the states before and after
    of those, for the history, or None when nothing differs (and nothing is saved)."""
    # What is stored, not the instance: a ModelForm has already set its values on it.
    stored = type(obj).objects.filter(pk=obj.pk).values(*fields).get()
    changed = {name: value for name, value in fields.items() if stored[name] != value}
    if not changed:
        return None
    before = {name: None if stored[name] is None else str(stored[name]) for name in changed}
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.save(update_fields=[*changed, *also])
    return before, _state(obj, changed)


def put_at(ordered: list, item, position: int) -> list:
    """`ordered` without `item`, then `item` inserted at `position` (clamped)."""
    others = [each for each in ordered if each.pk != item.pk]
    others.insert(max(0, min(position, len(others))), item)
    return others


def next_colour(canvas: Canvas) -> str:
    """The first palette colour no segment of the canvas uses yet (cycling when all are used)."""
    used = list(canvas.segments.values_list("colour", flat=True))
    for colour in SegmentColour.values:
        if colour not in used:
            return colour
    return SegmentColour.values[len(used) % len(SegmentColour.values)]


@transaction.atomic
def create_segment(*, canvas: Canvas, name: str, actor, **details) -> Segment:
    """Add a segment at the bottom of the ranking, with a colour of its own unless one is given
    (the canvas's row is locked meanwhile: two segments added at once get two ranks)."""
    list(Canvas.objects.select_for_update().filter(pk=canvas.pk).values("pk"))
    last_rank = canvas.segments.aggregate(Max("rank"))["rank__max"]
    details["colour"] = details.get("colour") or next_colour(canvas)
    segment = Segment.objects.create(
        canvas=canvas, name=name, rank=0 if last_rank is None else last_rank + 1, **details
    )
    record_change(
        canvas,
        actor=actor,
        verb="segment.added",
        summary=f"added the segment {quote(name)}",
        target_id=segment.pk,
        segment_id=segment.pk,
    )
    return segment


@transaction.atomic
def update_segment(*, segment: Segment, actor, **fields) -> Segment:
    """Change a segment's description, type, side, archetypes, colour or economics."""
    segment.updated_at = timezone.now()
    changed = apply_fields(segment, fields, also=("updated_at",))
    if changed is None:
        return segment
    before, after = changed
    record_change(
        segment.canvas,
        actor=actor,
        verb="segment.updated",
        summary=f"changed the segment {quote(segment.name)}",
        target_id=segment.pk,
        segment_id=segment.pk,
        before=before,
        after=after,
    )
    return segment


@transaction.atomic
def move_segment(*, segment: Segment, position: int, actor) -> Segment:
    """Rank a segment at `position` (0 = highest priority); where it is already, nothing."""
    ranked = list(segment.canvas.segments.select_for_update().ranked())
    others = put_at(ranked, segment, position)
    if [each.pk for each in others] == [each.pk for each in ranked]:
        return segment
    for rank, each in enumerate(others):
        each.rank = rank
    Segment.objects.bulk_update(others, ["rank"])
    record_change(
        segment.canvas,
        actor=actor,
        verb="segment.ranked",
        summary=f"ranked {quote(segment.name)} at {position + 1}",
        target_id=segment.pk,
        segment_id=segment.pk,
    )
    return segment


@transaction.atomic
def delete_segment(*, segment: Segment, actor) -> None:
    """Remove a segment with its criteria, history and note links (the notes stay)."""
    canvas, segment_id = segment.canvas, segment.pk
    drop_threads(canvas, ENTRY, segment.profile_entries.values_list("pk", flat=True))
    drop_threads(canvas, SEGMENT, [segment_id])
    segment.delete()
    record_change(
        canvas,
        actor=actor,
        verb="segment.deleted",
        summary=f"deleted the segment {quote(segment.name)}",
        target_id=segment_id,
        before={"name": segment.name, "description": segment.description},
    )


@transaction.atomic
def add_criterion(*, segment: Segment, base: str, text: str, actor) -> SegmentCriterion:
    """Describe a segment by one more short criterion under a segmentation base."""
    last = segment.criteria.filter(base=base).aggregate(Max("position"))["position__max"]
    criterion = segment.criteria.create(
        base=base, text=text, position=0 if last is None else last + 1
    )
    record_change(
        segment.canvas,
        actor=actor,
        verb="segment.criterion_added",
        summary=f"described {quote(segment.name)}: {quote(text)}",
        segment_id=segment.pk,
    )
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: SegmentCriterion, actor) -> None:
    """Remove one segmentation criterion."""
    canvas = criterion.segment.canvas
    criterion.delete()
    record_change(
        canvas,
        actor=actor,
        verb="segment.criterion_removed",
        summary=f"removed the criterion {quote(criterion.text)}",
        segment_id=criterion.segment_id,
    )


@transaction.atomic
def record_snapshot(*, segment: Segment, actor, on: date | None = None) -> SegmentSnapshot:
    """Store the segment's current figures under today's date (again today: replaced; the
    same figures again: nothing new)."""
    day = on or timezone.localdate()
    kept = SegmentSnapshot.objects.filter(segment=segment, recorded_on=day).first()
    if kept is not None and kept.figures() == segment.figures():
        return kept
    snapshot, _ = SegmentSnapshot.objects.update_or_create(
        segment=segment, recorded_on=day, defaults={**segment.figures(), "recorded_by": actor}
    )
    record_change(
        segment.canvas,
        actor=actor,
        verb="segment.figures_recorded",
        summary=f"recorded the figures of {quote(segment.name)}",
        segment_id=segment.pk,
    )
    return snapshot


@transaction.atomic
def update_snapshot(*, snapshot: SegmentSnapshot, actor, **fields) -> SegmentSnapshot:
    """Correct a recorded snapshot's date or figures."""
    changed = apply_fields(snapshot, fields)
    if changed is None:
        return snapshot
    before, after = changed
    record_change(
        snapshot.segment.canvas,
        actor=actor,
        verb="segment.figures_corrected",
        summary=f"corrected figures of {quote(snapshot.segment.name)}",
        segment_id=snapshot.segment_id,
        before=before,
        after=after,
    )
    return snapshot


@transaction.atomic
def delete_snapshot(*, snapshot: SegmentSnapshot, actor) -> None:
    """Remove one recorded snapshot from a segment's history."""
    canvas = snapshot.segment.canvas
    snapshot.delete()
    record_change(
        canvas,
        actor=actor,
        verb="segment.figures_removed",
        summary="removed a record of figures",
        segment_id=snapshot.segment_id,
    )


@transaction.atomic
def set_note_segments(*, note: Note, segments: Iterable[Segment], actor) -> None:
    """Link a note to exactly these segments, which must be segments of the note's canvas: the
    note's one service saves it (canvases.services.edit_note), as the note editor does."""
    segments = list(segments)
    if any(segment.canvas_id != note.block.canvas_id for segment in segments):
        raise ForeignSegmentError("A note can only be linked to segments of its own canvas.")
    current = Note.objects.get(pk=note.pk)  # not an editor's draft: no version to check
    edit_note(
        note=note, text=current.text, version=current.version, fields={"segments": segments},
        actor=actor,
    )  # fmt: skip
