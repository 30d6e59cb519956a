"""Lookups of segments and their parts, always through a canvas the viewer may see
(canvases.access.canvas_for): another canvas's segment answers 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from canvases.models import Canvas

from .models import Segment, SegmentCriterion, SegmentSnapshot


def segment_of(canvas: Canvas, segment_id: int) -> Segment:
    segment = get_object_or_404(canvas.segments, pk=segment_id)
    segment.canvas = canvas
    return segment


def snapshot_of(segment: Segment, snapshot_id: int) -> SegmentSnapshot:
    snapshot = get_object_or_404(segment.snapshots, pk=snapshot_id)
    snapshot.segment = segment
    return snapshot


def criterion_of(segment: Segment, criterion_id: int) -> SegmentCriterion:
    criterion = get_object_or_404(segment.criteria, pk=criterion_id)
    criterion.segment = segment
    return criterion
