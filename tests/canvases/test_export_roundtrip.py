"""Export → import → export gives the same document, for generated canvases."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_site.text import is_blank
from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.exports import canvas_file
from canvases.models import BlockKind, NoteColour, Thread, Viewer
from segments.models import (
    EmpathyQuadrant,
    ProfileList,
    SegmentColour,
    SegmentType,
    ValueMapKind,
)
from segments.profiles import services as profile_services

pytestmark = pytest.mark.django_db

# Any Unicode a person could type (no lone surrogates; NUL is refused by the forms).
letters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def text(max_size: int, min_size: int = 1):
    # Text a person can see: invisible-only text is refused like empty text (canvas_site.text).
    return st.text(letters, min_size=min_size, max_size=max_size).filter(lambda t: not is_blank(t))


amounts = st.none() | st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
percent = st.none() | st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)

note = st.fixed_dictionaries(
    {
        "block": st.sampled_from(BlockKind.values),
        "text": text(2000) | st.just("ж" * 2000),  # maximum length, beyond ASCII
        "colour": st.sampled_from(NoteColour.values),
        "comments": st.lists(text(5000) | st.just("ж" * 5000), max_size=2),
        "resolved": st.booleans(),
    }
)
entry = st.fixed_dictionaries(
    {"list": st.sampled_from(ProfileList.values), "text": text(500), "score": st.integers(1, 5)}
)
segment = st.fixed_dictionaries(
    {
        "name": text(120),
        "segment_type": st.sampled_from(SegmentType.values),
        "colour": st.sampled_from(SegmentColour.values),
        "revenue_per_customer": amounts,
        "gross_margin_percent": percent,
        "churn_percent": percent,
        "size": st.none() | st.integers(0, 10**9),
        "entries": st.lists(entry, max_size=6),
        "values": st.lists(st.sampled_from(ValueMapKind.values), max_size=4),
        "empathy": st.lists(
            st.tuples(st.sampled_from(EmpathyQuadrant.values), text(300)), max_size=3
        ),
        "snapshots": st.integers(0, 3),
    }
)


def build(team, owner, title, notes, segments):
    from segments import services as segment_services

    canvas = services.create_canvas(team=team, title=title, author=owner)
    made = [
        services.add_note(
            block=canvas.blocks.get(kind=n["block"]),
            text=n["text"],
            colour=n["colour"],
            author=owner,
        )
        for n in notes
    ]
    canvas.viewer = Viewer(user_id=owner.pk)
    for spec, made_note in zip(notes, made, strict=True):
        target = target_of(canvas, "note", made_note.pk)
        for said in spec["comments"]:
            comment_services.add_comment(canvas=canvas, target=target, text=said, author=owner)
        if spec["comments"] and spec["resolved"]:
            thread = Thread.objects.get(note=made_note)
            comment_services.resolve_thread(
                canvas=canvas, target=target, thread=thread, actor=owner
            )
    for index, spec in enumerate(segments):
        spec = dict(spec)
        entries, values, empathy, snapshots = (
            spec.pop(k) for k in ("entries", "values", "empathy", "snapshots")
        )
        seg = segment_services.create_segment(canvas=canvas, actor=owner, **spec)
        said = [
            profile_services.add_empathy(segment=seg, quadrant=q, text=t, actor=owner)
            for q, t in empathy
        ]
        profile = [
            profile_services.add_entry(
                segment=seg, actor=owner, from_empathy=said[0] if said and i == 0 else None, **e
            )
            for i, e in enumerate(entries)
        ]
        for kind in values:
            wanted = {"product": "job", "reliever": "pain", "creator": "gain"}[kind]
            targets = [p for p in profile if p.list == wanted][:2]
            profile_services.add_value_item(
                segment=seg, kind=kind, text=f"{kind} {index}", addresses=targets, actor=owner
            )
        for day in range(snapshots):
            segment_services.record_snapshot(
                segment=seg, actor=owner, on=date(2026, 1, 1) + timedelta(days=day)
            )
        if made:
            segment_services.set_note_segments(
                note=made[index % len(made)], segments=[seg], actor=owner
            )
    return canvas


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=text(200),
    notes=st.lists(note, max_size=12),
    segments=st.lists(segment, max_size=3),
)
def test_export_import_export_round_trip(team, owner, title, notes, segments):
    canvas = build(team, owner, title, notes, segments)
    first = canvas_file.export_canvas(canvas)
    on_the_wire = json.loads(json.dumps(first, ensure_ascii=False))
    copy = canvas_file.import_canvas(canvas_file.parse(on_the_wire), team=team, actor=owner)
    assert copy.pk != canvas.pk
    assert canvas_file.export_canvas(copy) == first
    threads = [note["thread"] for note in first["notes"] if note["thread"]]
    assert len(threads) == sum(1 for n in notes if n["comments"])
    assert sum(len(t["comments"]) for t in threads) == sum(len(n["comments"]) for n in notes)


def test_a_duplicate_carries_everything_the_canvas_file_carries(db):
    """Duplicate is import(export(canvas)): the copy's file is the original's, but the title.
    The demo canvas has segments, criteria, dated figures, profiles, value maps, empathy maps
    and links between notes and segments."""
    from canvases.demo import load_demo

    original = load_demo().canvas
    copy = canvas_file.duplicate_canvas(canvas=original, actor=original.created_by)
    before, after = canvas_file.export_canvas(original), canvas_file.export_canvas(copy)
    assert after["canvas"].pop("title") == f"Copy of {before['canvas'].pop('title')}"
    assert after == before
    assert before["segments"] and all(s["profile"] and s["value_map"] for s in before["segments"])
    assert any(segment["empathy"] for segment in before["segments"])
