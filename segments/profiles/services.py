"""Every write to customer profiles, value maps and empathy maps, each in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from canvases.changes import quote, record_change
from canvases.models import BlockKind, Note
from canvases.services import add_note
from segments.comments import ENTRY, drop_threads
from segments.models import (
    ADDRESSES,
    EmpathyEntry,
    ProfileEntry,
    ProfileList,
    Segment,
    ValueMapItem,
    ValueMapKind,
)
from segments.services import apply_fields, put_at


class WrongEntryError(ValueError):
    """A value-map item can only address entries of its own segment, of the matching list."""


def _next_position(queryset) -> int:
    last = queryset.aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_entry(*, segment: Segment, list: str, text: str, actor, **fields) -> ProfileEntry:
    """Add a job, pain or gain at the end of its list."""
    entries = segment.profile_entries.filter(list=list)
    entry = ProfileEntry.objects.create(
        segment=segment, list=list, text=text, position=_next_position(entries), **fields
    )
    record_change(
        segment.canvas,
        actor=actor,
        verb="profile.entry_added",
        summary=f"added {quote(text)} to the profile of {quote(segment.name)}",
        segment_id=segment.pk,
    )
    return entry


@transaction.atomic
def update_entry(*, entry: ProfileEntry, actor, **fields) -> ProfileEntry:
    """Change a job's, pain's or gain's text, score or kind."""
    changed = apply_fields(entry, fields)
    if changed is None:
        return entry
    before, after = changed
    record_change(
        entry.segment.canvas,
        actor=actor,
        verb="profile.entry_changed",
        summary=f"changed {quote(entry.text)} in a profile",
        segment_id=entry.segment_id,
        before=before,
        after=after,
    )
    return entry


@transaction.atomic
def delete_entry(*, entry: ProfileEntry, actor) -> None:
    """Remove a job, pain or gain (value-map items that addressed it simply lose the link)."""
    canvas = entry.segment.canvas
    drop_threads(canvas, ENTRY, [entry.pk])
    entry.delete()
    record_change(
        canvas,
        actor=actor,
        verb="profile.entry_removed",
        summary=f"removed {quote(entry.text)} from a profile",
        segment_id=entry.segment_id,
        before={"list": entry.list, "text": entry.text, "score": entry.score},
    )


@transaction.atomic
def move_entry(*, entry: ProfileEntry, position: int, actor) -> ProfileEntry:
    """Rank an entry at `position` (0 = first) within its list; where it is already, nothing."""
    siblings = list(
        entry.segment.profile_entries.filter(list=entry.list)
        .select_for_update()
        .order_by("position", "pk")
    )
    ordered = put_at(siblings, entry, position)
    if [each.pk for each in ordered] == [each.pk for each in siblings]:
        return entry
    for index, each in enumerate(ordered):
        each.position = index
    ProfileEntry.objects.bulk_update(ordered, ["position"])
    record_change(
        entry.segment.canvas,
        actor=actor,
        verb="profile.entry_ranked",
        summary=f"re-ranked {quote(entry.text)}",
        segment_id=entry.segment_id,
    )
    return entry


@transaction.atomic
def sort_entries_by_score(*, segment: Segment, list: str, actor) -> None:
    """Rank a list by score, highest first (ties keep their order); sorted already, nothing."""
    entries = [*segment.profile_entries.filter(list=list).select_for_update()]
    entries.sort(key=lambda entry: (entry.position, entry.pk))
    ordered = sorted(entries, key=lambda entry: -entry.score)
    if [each.pk for each in ordered] == [each.pk for each in entries]:
        return
    for index, entry in enumerate(ordered):
        entry.position = index
    ProfileEntry.objects.bulk_update(ordered, ["position"])
    record_change(
        segment.canvas,
        actor=actor,
        verb="profile.sorted",
        summary=f"sorted a profile list of {quote(segment.name)}",
        segment_id=segment.pk,
    )


# Value map


def _check_addresses(segment: Segment, kind: str, entries) -> list[ProfileEntry]:
    entries = [*entries]
    wanted = ADDRESSES[ValueMapKind(kind)]
    if any(entry.segment_id != segment.pk or entry.list != wanted for entry in entries):
        what, whom = ValueMapKind(kind).label, ProfileList(wanted).label.lower()
        raise WrongEntryError(f"{what} can only address this segment's {whom}.")
    return entries


@transaction.atomic
def add_value_item(*, segment: Segment, kind: str, text: str, addresses=(), actor) -> ValueMapItem:
    """Add a product or service, pain reliever or gain creator, with what it addresses."""
    entries = _check_addresses(segment, kind, addresses)
    items = segment.value_map_items.filter(kind=kind)
    item = ValueMapItem.objects.create(
        segment=segment, kind=kind, text=text, position=_next_position(items)
    )
    item.addresses.set(entries)
    record_change(
        segment.canvas,
        actor=actor,
        verb="profile.value_added",
        summary=f"added {quote(text)} to the value map of {quote(segment.name)}",
        segment_id=segment.pk,
    )
    return item


@transaction.atomic
def update_value_item(*, item: ValueMapItem, text: str, addresses, actor) -> ValueMapItem:
    """Change a value-map item's text and what it addresses."""
    entries = _check_addresses(item.segment, item.kind, addresses)
    before = {"text": item.text, "addresses": sorted(item.addresses.values_list("text", flat=True))}
    after = {"text": text, "addresses": sorted(entry.text for entry in entries)}
    if after == before:
        return item
    item.text = text
    item.save(update_fields=["text"])
    item.addresses.set(entries)
    record_change(
        item.segment.canvas,
        actor=actor,
        verb="profile.value_changed",
        summary=f"changed {quote(text)} in a value map",
        segment_id=item.segment_id,
        before=before,
        after=after,
    )
    return item


@transaction.atomic
def delete_value_item(*, item: ValueMapItem, actor) -> None:
    """Remove a value-map item (a note it was pinned as stays on the canvas)."""
    canvas = item.segment.canvas
    item.delete()
    record_change(
        canvas,
        actor=actor,
        verb="profile.value_removed",
        summary=f"removed {quote(item.text)} from a value map",
        segment_id=item.segment_id,
        before={"kind": item.kind, "text": item.text},
    )


@transaction.atomic
def pin_value_item(*, item: ValueMapItem, actor) -> Note:
    """Put a value-map item on the canvas as a Value Propositions note linked to its segment."""
    if item.note_id and Note.objects.alive().filter(pk=item.note_id).exists():
        return item.note
    block = item.segment.canvas.blocks.get(kind=BlockKind.VALUE_PROPOSITIONS)
    note = add_note(block=block, text=item.text, author=actor)
    note.segments.add(item.segment)
    item.note = note
    item.save(update_fields=["note"])
    return note


# Empathy map


@transaction.atomic
def add_empathy(*, segment: Segment, quadrant: str, text: str, actor) -> EmpathyEntry:
    """Jot down what the customer thinks, sees, hears, says, fears or wants."""
    entries = segment.empathy_entries.filter(quadrant=quadrant)
    entry = EmpathyEntry.objects.create(
        segment=segment, quadrant=quadrant, text=text, position=_next_position(entries)
    )
    record_change(
        segment.canvas,
        actor=actor,
        verb="profile.empathy_added",
        summary=f"added {quote(text)} to an empathy map",
        segment_id=segment.pk,
    )
    return entry


@transaction.atomic
def delete_empathy(*, entry: EmpathyEntry, actor) -> None:
    """Remove an empathy-map entry (profile entries promoted from it stay)."""
    canvas = entry.segment.canvas
    drop_threads(canvas, ENTRY, [entry.pk])
    entry.delete()
    record_change(
        canvas,
        actor=actor,
        verb="profile.empathy_removed",
        summary=f"removed {quote(entry.text)} from an empathy map",
        segment_id=entry.segment_id,
    )


@transaction.atomic
def promote_empathy(*, entry: EmpathyEntry, list: str, actor) -> ProfileEntry:
    """Turn an empathy-map entry into a job, pain or gain that links back to it."""
    return add_entry(
        segment=entry.segment, list=list, text=entry.text[:500], actor=actor, from_empathy=entry
    )
