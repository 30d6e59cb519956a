"""Fragments pushed down the event stream: rendered once per revision and kind of viewer, the
same lists a page would fetch, and never where pages differ by who reads them."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from django.urls import reverse

from canvas_site import live
from canvases import services
from canvases.live import push
from canvases.live.push import Renders, render_push
from canvases.live.views import stream
from canvases.models import EVERYONE, BlockKind, Canvas, Note
from canvases.workshops import services as workshop_services
from canvases.workshops import voting
from tests.conftest import HTMX

from .test_live import run
from .test_workshops import guest_client

CHANNELS, VALUES = BlockKind.CHANNELS.value, BlockKind.VALUE_PROPOSITIONS.value


def list_of(html: str, kind: str) -> str:
    """The <ul> of one block's notes in a page or a fragment."""
    found = re.search(rf'<ul class="notes" id="notes-{kind}".*?</ul>', html, re.S)
    assert found, f"no list of {kind}"
    return found.group(0)


def fetched(client, canvas, kind: str) -> str:
    url = reverse("canvases:canvas-board", args=[canvas.pk]) + f"?blocks={kind}"
    response = client.get(url, **HTMX)
    assert response.status_code == 200
    return list_of(response.content.decode(), kind)


@pytest.fixture
def notes(canvas, owner, editor):
    channels = canvas.blocks.get(kind=CHANNELS)
    services.add_note(block=channels, text="Bike shops <b>&</b> cafés", author=owner)
    services.add_note(block=channels, text="Instagram", author=editor)
    services.add_note(block=canvas.blocks.get(kind=VALUES), text="Delivered", author=owner)


# What is pushed


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "persona"), [("editor", "editor"), ("viewer", "viewer")])
def test_a_push_holds_the_lists_a_page_of_that_kind_would_fetch(
    notes, canvas, client_as, kind, persona
):
    html = render_push(canvas.pk, (CHANNELS,), kind)
    assert list_of(html, CHANNELS) == fetched(client_as(persona), canvas, CHANNELS)
    assert 'id="notes-value_propositions"' not in html  # only the block that changed
    assert "Bike shops &lt;b&gt;&amp;&lt;/b&gt; cafés" in html
    assert 'id="canvas-changed" hx-swap-oob="true"' in html
    assert 'id="checks-panel"' in html  # the panels that follow notes


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "persona"), [("editor", "editor"), ("viewer", "viewer")])
def test_a_note_added_is_pushed_as_its_card_the_one_a_page_of_that_kind_shows(
    notes, canvas, client_as, kind, persona
):
    added = Note.objects.get(text="Instagram")
    html = render_push(canvas.pk, (CHANNELS,), kind, added=added.pk)
    card = re.search(rf'<li class="note[^"]*" id="note-{added.pk}".*?</li>', html, re.S).group(0)
    assert card in fetched(client_as(persona), canvas, CHANNELS)
    assert f'<div hx-swap-oob="beforeend:#notes-{CHANNELS}">' in html
    assert 'class="notes"' not in html  # no list: the card goes at its end
    assert "Bike shops" not in html
    assert 'id="canvas-changed" hx-swap-oob="true"' in html and 'id="checks-panel"' in html
    # Gone meanwhile (deleted before the push was rendered): pages fetch their own.
    services.trash_note(note=added, actor=None)
    assert render_push(canvas.pk, (CHANNELS,), kind, added=added.pk) is None


@pytest.mark.django_db
def test_one_change_loads_the_board_once_for_every_kind_of_viewer(
    notes, canvas, client_as, monkeypatch
):
    loads = []
    with_board = type(Canvas.objects.all()).with_board

    def counted(queryset, viewer):
        loads.append(viewer)
        return with_board(queryset, viewer)

    monkeypatch.setattr(type(Canvas.objects.all()), "with_board", counted)
    for kind in ("editor", "viewer"):
        html = render_push(canvas.pk, (CHANNELS,), kind, revision=canvas.revision)
        assert list_of(html, CHANNELS) == fetched(client_as(kind), canvas, CHANNELS)
    # The editor's render loaded it for this revision (the pages' fetches load their own).
    assert loads.count(EVERYONE) == 1


@pytest.mark.django_db
def test_what_kinds_of_viewer_get_differs_where_their_pages_do(notes, canvas, workshop_guest):
    editor, viewer = (
        render_push(canvas.pk, (CHANNELS,), "editor"),
        render_push(canvas.pk, (CHANNELS,), "viewer"),
    )
    assert "data-sortable" in editor and 'class="note-open"' in editor
    assert "data-sortable" not in viewer and 'class="note-open"' not in viewer
    client, guest = workshop_guest
    services.add_note(block=canvas.blocks.get(kind=CHANNELS), text="Mine", author=None, guest=guest)
    pushed = render_push(canvas.pk, (CHANNELS,), "guest")
    # Every guest gets the same list: each guest's note names its guest, editing.js keeps
    # the edit link of one's own only.
    assert pushed.count('class="note-open"') == 1
    assert f'data-by-guest="{guest.pk}"' in pushed
    assert list_of(pushed, CHANNELS) == fetched(client, canvas, CHANNELS)


@pytest.fixture
def workshop(canvas, editor):
    return workshop_services.start_workshop(canvas=canvas, facilitator=editor)


@pytest.fixture
def workshop_guest(workshop):
    return guest_client(workshop)


@pytest.mark.django_db
def test_authors_show_in_a_workshop_that_is_not_anonymous(notes, canvas, workshop, editor):
    assert '<span class="note-author">eddie</span>' in render_push(canvas.pk, (CHANNELS,), "viewer")
    workshop_services.set_anonymous(workshop=workshop, anonymous=True, actor=editor)
    assert 'class="note-author"' not in render_push(canvas.pk, (CHANNELS,), "viewer")


@pytest.mark.django_db
def test_nothing_is_pushed_while_private_writing_hides_a_note(canvas, workshop, owner, editor):
    workshop_services.start_private_writing(workshop=workshop, actor=editor)
    # Hidden in another block than the one that changed: panels count notes too.
    services.add_note(block=canvas.blocks.get(kind=VALUES), text="Secret", author=owner)
    assert render_push(canvas.pk, (CHANNELS,), "viewer") is None
    workshop_services.reveal(workshop=workshop, actor=editor)
    assert "Secret" not in render_push(canvas.pk, (CHANNELS,), "viewer")
    assert "Secret" in render_push(canvas.pk, (VALUES,), "viewer")


@pytest.mark.django_db
def test_nothing_is_pushed_during_voting_or_while_results_show(notes, canvas, workshop, editor):
    workshop = workshop_services.open_voting(workshop=workshop, block="", budget=3, actor=editor)
    assert render_push(canvas.pk, (CHANNELS,), "viewer") is None  # each has their own dots
    note = Note.objects.get(text="Instagram")
    voting.vote(workshop=workshop, note=note, user=editor)
    workshop = workshop_services.close_voting(workshop=workshop, actor=editor)
    assert render_push(canvas.pk, (CHANNELS,), "viewer") is None  # results quote the notes
    workshop_services.end(workshop=workshop, actor=editor)
    assert render_push(canvas.pk, (CHANNELS,), "viewer") is not None


@pytest.mark.django_db
def test_nothing_is_pushed_for_a_canvas_in_the_trash(notes, canvas, owner):
    services.trash_canvas(canvas=canvas, actor=owner)
    assert render_push(canvas.pk, (CHANNELS,), "viewer") is None


# Once per revision and kind


def test_parallel_streams_wait_for_one_render_per_key():
    calls = []

    async def scenario():
        renders = Renders(size=8)

        async def render(kind):
            calls.append(kind)
            await asyncio.sleep(0.01)  # the render takes a while: the others ask meanwhile
            return f"<ul>{kind}</ul>"

        asks = [renders.get((1, 5, ("channels",), k), lambda k=k: render(k)) for k in "aab" * 20]
        return await asyncio.gather(*asks)

    results = run(scenario())
    assert sorted(calls) == ["a", "b"]
    assert results.count("<ul>a</ul>") == 40 and results.count("<ul>b</ul>") == 20


def test_a_failed_render_pushes_nothing_and_a_stream_that_gives_up_stops_nobody():
    async def scenario():
        renders = Renders()
        release = asyncio.Event()

        async def slow():
            await release.wait()
            return "<ul>late</ul>"

        async def broken():
            raise RuntimeError("template error")

        patient = asyncio.ensure_future(renders.get(("slow",), slow))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(renders.get(("slow",), slow), timeout=0.01)
        release.set()
        return await patient, await renders.get(("broken",), broken)

    assert run(scenario()) == ("<ul>late</ul>", None)


def test_old_renders_are_forgotten():
    async def scenario():
        renders = Renders(size=2)
        for revision in range(5):
            await renders.get((revision,), lambda r=revision: asyncio.sleep(0, result=str(r)))
        return list(renders.done)

    assert run(scenario()) == [(3,), (4,)]


# Down the stream


def test_a_pushed_event_is_followed_by_its_fragment():
    class Canvas:
        pk, revision = 5, 42

    async def fragment_for(event):
        return '<ul id="notes-channels" hx-swap-oob="true">\n<li>A</li>\r\n</ul>'

    async def scenario():
        bus = live.MemoryBus()
        subscription = await bus.subscribe(5)
        messages = stream(subscription, Canvas(), "tab1", push=fragment_for)
        await anext(messages), await anext(messages)  # connected, hello
        bus.publish({"event": "notesChanged", "canvas": 5, "revision": 43, "blocks": ["channels"]})
        written = await anext(messages)  # the event and its fragment, in one write
        await messages.aclose()
        return written

    event, fragment, after = run(scenario()).split("\n\n")
    assert json.loads(event.strip().split("\n")[2].removeprefix("data: "))["pushed"] is True
    assert fragment + "\n\n" == (
        "id: 43\nevent: fragment\n"
        'data: <ul id="notes-channels" hx-swap-oob="true">\ndata: <li>A</li>\ndata: </ul>\n\n'
    )
    assert after == ""


def test_an_event_without_a_fragment_goes_as_before_and_waiting_events_go_together():
    class Canvas:
        pk, revision = 5, 42

    async def nothing(event):
        return None

    async def scenario():
        bus = live.MemoryBus()
        subscription = await bus.subscribe(5)
        messages = stream(subscription, Canvas(), "tab1", push=nothing)
        await anext(messages), await anext(messages)
        bus.publish({"event": "notesChanged", "canvas": 5, "revision": 43, "blocks": ["channels"]})
        bus.publish({"event": "notesChanged", "canvas": 5, "revision": 44, "blocks": ["channels"]})
        written = await anext(messages)  # both were waiting: one write
        await messages.aclose()
        return written

    first, second, after = run(scenario()).split("\n\n")
    assert first.startswith("id: 43\nevent: notesChanged") and "pushed" not in first
    assert second.startswith("id: 44\nevent: notesChanged") and after == ""


def test_only_note_changes_naming_their_blocks_are_pushed(monkeypatch):
    rendered = []

    def render(canvas_id, blocks, kind, added, revision):
        rendered.append((canvas_id, blocks, kind, added))
        return "<ul></ul>"

    monkeypatch.setattr(push, "rendered_and_released", render)

    async def scenario():
        send = push.pusher("guest")
        return [
            await send({"event": "workshopChanged", "canvas": 3, "revision": 7}),
            await send({"event": "notesChanged", "canvas": 3, "revision": 8}),
            await send({"event": "notesChanged", "canvas": 3, "revision": 9, "blocks": ["x"]}),
            await send({"event": "notesChanged", "canvas": 3, "revision": 9, "blocks": ["x"]}),
            await send({"event": "notesChanged", "canvas": 3, "revision": 10, "blocks": ["x"],
                        "added": 12}),
        ]  # fmt: skip

    assert run(scenario()) == [None, None, "<ul></ul>", "<ul></ul>", "<ul></ul>"]
    assert rendered == [(3, ("x",), "guest", None), (3, ("x",), "guest", 12)]
