"""Segments on the canvas: the block, note links and colours, the lens, the checks."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services as canvas_services
from canvases.models import BlockKind, Note
from segments import services
from tests.conftest import HTMX

pytestmark = pytest.mark.django_db


def page(client, canvas, query=""):
    return client.get(reverse("canvases:canvas-detail", args=[canvas.pk]) + query).content.decode()


def add(canvas, kind, text, owner):
    return canvas_services.add_note(block=canvas.blocks.get(kind=kind), text=text, author=owner)


def test_the_customer_segments_block_lists_segments_with_focus_first(client_as, canvas, owner):
    for name in ["Alpha", "Beta", "Gamma", "Delta"]:
        services.create_segment(canvas=canvas, name=name, actor=owner)
    html = page(client_as("viewer"), canvas)
    block = html[html.index('id="segment-list"') :]
    assert block.index("Alpha") < block.index("Beta") < block.index("Delta")
    assert block[: block.index("</ol>")].count("badge--focus") == 3


def test_a_linked_note_shows_its_segment_colours(client_as, canvas, note, owner):
    segment = services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    services.set_note_segments(note=note, segments=[segment], actor=owner)
    html = page(client_as("viewer"), canvas)
    assert f'data-lens-refs="{segment.pk}"' in html
    assert f'class="seg-dot seg--{segment.colour}" title="Couriers"' in html


def test_linking_a_note_from_the_editor(client_as, canvas, note, owner):
    segment = services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    data = {"text": note.text, "version": 1, "segments_shown": "1", "segments": [segment.pk]}
    path = reverse("canvases:note-edit", args=[canvas.pk, note.pk])
    response = client_as("editor").post(path, data, **HTMX)
    assert response.status_code == 200
    assert list(note.segments.all()) == [segment]
    assert "canvasChanged" in response["HX-Trigger"]
    data["segments"], data["version"] = [], 2
    assert client_as("editor").post(path, data, **HTMX).status_code == 200
    assert not note.segments.exists()


def test_linking_a_note_to_another_canvas_segment_is_refused(client_as, canvas, note, owner, team):
    other = canvas_services.create_canvas(team=team, title="Other", author=owner)
    foreign = services.create_segment(canvas=other, name="Foreign", actor=owner)
    data = {"text": "changed", "version": 1, "segments_shown": "1", "segments": [foreign.pk]}
    path = reverse("canvases:note-edit", args=[canvas.pk, note.pk])
    response = client_as("editor").post(path, data, **HTMX)
    assert response.status_code == 422
    assert "segments of its own canvas" in response.content.decode()
    note.refresh_from_db()
    assert note.text == "Bikes delivered to your door" and not note.segments.exists()


def test_the_lens_dims_notes_not_linked_to_the_segment(client_as, canvas, owner):
    segment = services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    linked = add(canvas, BlockKind.CHANNELS, "Courier forums", owner)
    add(canvas, BlockKind.CHANNELS, "Billboards", owner)
    services.set_note_segments(note=linked, segments=[segment], actor=owner)
    html = page(client_as("viewer"), canvas, f"?lens={segment.pk}")
    assert html.count("note--dimmed") == 1
    assert f'id="note-{linked.pk}"' in html
    assert 'chip chip--active" href' in html
    assert page(client_as("viewer"), canvas, "?lens=999999").count("note--dimmed") == 0


def test_checks_list_the_gaps_and_link_to_the_fix(client_as, canvas, owner):
    paying = services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    free = services.create_segment(
        canvas=canvas, name="Shops", actor=owner, paying_side="free_side"
    )
    value = add(canvas, BlockKind.VALUE_PROPOSITIONS, "Faster deliveries", owner)
    lonely = add(canvas, BlockKind.VALUE_PROPOSITIONS, "Nobody's value", owner)
    for kind in [BlockKind.CHANNELS, BlockKind.CUSTOMER_RELATIONSHIPS, BlockKind.REVENUE_STREAMS]:
        services.set_note_segments(
            note=add(canvas, kind, f"{kind} note", owner), segments=[paying], actor=owner
        )
    services.set_note_segments(note=value, segments=[paying], actor=owner)
    html = page(client_as("viewer"), canvas)
    assert "Checks: 4 gaps" in html
    assert "“Couriers” has no linked" not in html
    assert "“Shops” has no linked note in Value Propositions." in html
    assert "“Shops” has no linked note in Revenue Streams." not in html  # a free side pays nothing
    assert f"?lens={free.pk}#block-channels" in html
    assert "Value proposition “Nobody&#x27;s value” is linked to no segment." in html
    assert f"/notes/{lonely.pk}/edit/" in html


def test_checks_refresh_on_their_own(client_as, canvas, owner):
    services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    path = reverse("segments:segment-checks", args=[canvas.pk])
    html = client_as("viewer").get(path, **HTMX).content.decode()
    assert (
        html.startswith('\n  <details class="checks checks--gaps" id="checks-panel"')
        or 'id="checks-panel"' in html
    )
    assert "<html" not in html
    assert client_as("outsider").get(path, **HTMX).status_code == 404


def test_board_refresh_sends_every_list_out_of_band(client_as, canvas, owner):
    services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    path = reverse("canvases:canvas-board", args=[canvas.pk])
    html = client_as("viewer").get(path, **HTMX).content.decode()
    # nine note lists, segments, lens, checks, header, workshop bar
    assert html.count('hx-swap-oob="true"') == 9 + 5
    only = client_as("viewer").get(path + "?blocks=channels", **HTMX).content.decode()
    assert only.count('hx-swap-oob="true"') == 1 + 3  # that list, checks, header, workshop bar
    assert 'id="notes-channels"' in only and 'id="notes-key_partners"' not in only
    assert client_as("viewer").get(path).status_code == 302


def count_queries(client, path):
    client.get(path)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_canvas_queries_stay_constant_as_segments_and_links_grow(client_as, canvas, owner):
    client = client_as("editor")
    path = reverse("canvases:canvas-detail", args=[canvas.pk])
    first = services.create_segment(canvas=canvas, name="S0", actor=owner)
    services.set_note_segments(
        note=add(canvas, BlockKind.CHANNELS, "n", owner), segments=[first], actor=owner
    )
    few = count_queries(client, path)
    segments = [
        services.create_segment(canvas=canvas, name=f"S{i}", actor=owner) for i in range(1, 8)
    ]
    blocks = list(canvas.blocks.all())
    notes = Note.objects.bulk_create(
        Note(block=blocks[i % 9], text=f"note {i}", position=i) for i in range(200)
    )
    through = first.notes.through
    through.objects.bulk_create(
        through(note_id=note.pk, segment_id=segment.pk)
        for note in notes
        for segment in segments[:3]
    )
    many = count_queries(client, path)
    assert few == many
    assert many <= 15
