"""What the canvas page shows of segments: note colours, the lens and the gap checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from canvases.models import BlockKind, Canvas, Note
from canvases.registry import Badge

from .models import Segment

# Blocks whose notes each segment needs at least one of (DOMAIN.md: a segment is reached
# through channels, kept through relationships, served by value and paying through revenue).
BLOCKS_EACH_SEGMENT_NEEDS = [
    BlockKind.VALUE_PROPOSITIONS,
    BlockKind.CHANNELS,
    BlockKind.CUSTOMER_RELATIONSHIPS,
    BlockKind.REVENUE_STREAMS,
]


@dataclass(frozen=True)
class Gap:
    message: str
    fix_url: str
    fix_label: str


@dataclass
class SegmentBoard:
    segments: list[Segment]
    lens: Segment | None
    gaps: list[Gap] = field(default_factory=list)

    @property
    def focus(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.is_focus]


def load_segments(canvas: Canvas) -> list[Segment]:
    """The canvas's segments in rank order, each marked as focus or not (one query)."""
    segments = list(canvas.segments.ranked())
    for index, segment in enumerate(segments):
        segment.is_focus = index < canvas.focus_segment_count
        segment.canvas = canvas
    return segments


def attach_segments(notes: Iterable[Note], segments: list[Segment], lens: Segment | None) -> None:
    """Give each note `linked_segments`, and the marks every note card shows (canvases.registry):
    `badges`, `lens_refs` and `dimmed` (one query for all links)."""
    notes = list(notes)
    by_id = {segment.pk: segment for segment in segments}
    links: dict[int, list[Segment]] = defaultdict(list)
    if notes and segments:
        through = Segment.notes.through.objects.filter(note_id__in=[note.pk for note in notes])
        for note_id, segment_id in through.values_list("note_id", "segment_id"):
            if segment_id in by_id:
                links[note_id].append(by_id[segment_id])
    for note in notes:
        linked = sorted(links.get(note.pk, []), key=lambda segment: segment.rank)
        note.linked_segments = linked
        note.badges = [Badge(f"seg--{segment.colour}", segment.name) for segment in linked]
        note.lens_refs = " ".join(segment.ref for segment in linked)
        note.dimmed = lens is not None and lens not in linked


def find_gaps(canvas: Canvas, segments: list[Segment], notes: Iterable[Note]) -> list[Gap]:
    """Segments missing a linked note in a block they need; value propositions for nobody."""
    if not segments:
        return []  # nothing to link to yet: the Customer Segments block says what to do
    canvas_url = reverse("canvases:canvas-detail", args=[canvas.pk])
    covered: dict[int, set[str]] = defaultdict(set)
    unlinked_values = []
    for note in notes:
        for segment in note.linked_segments:
            covered[segment.pk].add(note.block.kind)
        if note.block.kind == BlockKind.VALUE_PROPOSITIONS and not note.linked_segments:
            unlinked_values.append(
                Gap(
                    f"Value proposition “{note.text[:60]}” is linked to no segment.",
                    f"{canvas_url}notes/{note.pk}/edit/",
                    "Link it",
                )
            )
    gaps = []
    for segment in segments:
        for kind in BLOCKS_EACH_SEGMENT_NEEDS:
            # A free side pays nothing by definition: no revenue stream is expected of it.
            if kind == BlockKind.REVENUE_STREAMS and segment.is_free_side:
                continue
            if kind not in covered[segment.pk]:
                gaps.append(
                    Gap(
                        f"“{segment.name}” has no linked note in {kind.label}.",
                        f"{canvas_url}?lens={segment.pk}#block-{kind.value}",
                        f"Go to {kind.label}",
                    )
                )
    return gaps + unlinked_values
