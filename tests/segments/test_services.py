from datetime import date
from decimal import Decimal as D

import pytest

from canvases import services as canvas_services
from canvases.exports import canvas_file
from canvases.models import Canvas, Note
from segments import services
from segments.models import Segment, SegmentColour, SegmentSnapshot

pytestmark = pytest.mark.django_db


def test_segments_get_distinct_palette_colours_and_rank_in_order(canvas, owner):
    made = [services.create_segment(canvas=canvas, name=f"S{i}", actor=owner) for i in range(3)]
    assert [s.colour for s in made] == SegmentColour.values[:3]
    assert [s.rank for s in made] == [0, 1, 2]
    assert Canvas.objects.get(pk=canvas.pk).revision == 3


def test_colours_cycle_once_the_palette_is_used_up(canvas, owner):
    for i in range(len(SegmentColour.values)):
        services.create_segment(canvas=canvas, name=f"S{i}", actor=owner)
    extra = services.create_segment(canvas=canvas, name="one more", actor=owner)
    assert extra.colour in SegmentColour.values


def test_move_segment_reranks(canvas, owner):
    a, b, c = (services.create_segment(canvas=canvas, name=n, actor=owner) for n in "abc")
    services.move_segment(segment=c, position=0, actor=owner)
    assert list(canvas.segments.ranked().values_list("name", flat=True)) == ["c", "a", "b"]


def test_record_snapshot_copies_the_figures_and_replaces_todays(segment, owner):
    services.update_segment(
        segment=segment, actor=owner, size=100, revenue_per_customer=D("10"),
        gross_margin_percent=D("50"), churn_percent=D("5"),
    )  # fmt: skip
    services.record_snapshot(segment=segment, actor=owner, on=date(2026, 1, 1))
    services.update_segment(segment=segment, actor=owner, size=120)
    services.record_snapshot(segment=segment, actor=owner, on=date(2026, 1, 1))
    snapshot = SegmentSnapshot.objects.get()
    assert (snapshot.size, snapshot.revenue_per_customer) == (120, D("10.00"))


def test_note_links_stay_within_the_canvas(canvas, note, owner, team):
    mine = services.create_segment(canvas=canvas, name="Mine", actor=owner)
    other_canvas = canvas_services.create_canvas(team=team, title="Other", author=owner)
    foreign = services.create_segment(canvas=other_canvas, name="Foreign", actor=owner)
    services.set_note_segments(note=note, segments=[mine], actor=owner)
    with pytest.raises(services.ForeignSegmentError):
        services.set_note_segments(note=note, segments=[mine, foreign], actor=owner)
    assert list(note.segments.all()) == [mine]


def test_deleting_a_segment_keeps_its_notes(segment, note, owner):
    services.set_note_segments(note=note, segments=[segment], actor=owner)
    services.delete_segment(segment=segment, actor=owner)
    assert Note.objects.filter(pk=note.pk).exists()
    assert not Segment.objects.exists()


def test_duplicating_a_canvas_copies_segments_and_links(canvas, segment, note, owner):
    services.set_note_segments(note=note, segments=[segment], actor=owner)
    services.add_criterion(segment=segment, base="geographic", text="Harbour towns", actor=owner)
    services.record_snapshot(segment=segment, actor=owner)
    copy = canvas_file.duplicate_canvas(canvas=canvas, actor=owner)
    copied = copy.segments.get()
    assert copied.name == segment.name and copied.pk != segment.pk
    assert copied.criteria.get().text == "Harbour towns"
    assert copied.snapshots.count() == 1
    copied_note = copied.notes.get()
    assert copied_note.text == note.text and copied_note.block.canvas_id == copy.pk
    assert list(segment.notes.all()) == [note]  # the original keeps its links
