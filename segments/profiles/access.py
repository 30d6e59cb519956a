"""Lookups of profile entries, value-map items and empathy entries within a segment."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from segments.models import ProfileEntry, Segment


def entry_of(segment: Segment, entry_id: int) -> ProfileEntry:
    entry = get_object_or_404(segment.profile_entries, pk=entry_id)
    entry.segment = segment
    return entry


def item_of(segment: Segment, item_id: int):
    item = get_object_or_404(segment.value_map_items, pk=item_id)
    item.segment = segment
    return item


def empathy_of(segment: Segment, entry_id: int):
    entry = get_object_or_404(segment.empathy_entries, pk=entry_id)
    entry.segment = segment
    return entry
