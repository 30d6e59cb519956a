"""The event bus, the event stream and presence."""

import asyncio
import json
import threading

import pytest
from django.db import transaction
from django.urls import reverse

from canvas_site import live
from canvases import services
from canvases.live import presence
from canvases.live.views import stream
from canvases.models import Presence
from tests.conftest import HTMX, outcome


def run(coroutine):
    """Run on a fresh loop in a thread: Playwright keeps a loop running in this one."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_memory_bus_delivers_to_subscribers_of_that_canvas_only():
    async def scenario():
        bus = live.MemoryBus()
        mine, other = await bus.subscribe(1), await bus.subscribe(2)
        # Publishing happens in request threads, not on the event loop.
        thread = threading.Thread(
            target=bus.publish, args=({"event": "notesChanged", "canvas": 1},)
        )
        thread.start()
        thread.join()
        event = await asyncio.wait_for(mine.get(), timeout=2)
        assert event["event"] == "notesChanged"
        assert other.queue.empty()
        mine.close()
        assert bus.local.count(1) == 0

    run(scenario())


def test_a_subscriber_that_falls_behind_gets_one_resync():
    async def scenario():
        bus = live.MemoryBus()
        subscription = await bus.subscribe(7)
        for revision in range(live.QUEUE_SIZE + 5):
            bus.publish({"event": "notesChanged", "canvas": 7, "revision": revision})
        await asyncio.sleep(0.05)
        events = []
        while not subscription.queue.empty():
            events.append(subscription.queue.get_nowait())
        assert events[0]["event"] == "resync"
        assert len(events) < live.QUEUE_SIZE

    run(scenario())


def test_stream_says_hello_with_the_revision_then_sends_events():
    class Canvas:
        pk, revision = 5, 42

    async def scenario():
        bus = live.MemoryBus()
        subscription = await bus.subscribe(5)
        messages = stream(subscription, Canvas(), "tab1")
        assert await anext(messages) == ": connected\n\n"
        hello = await anext(messages)
        assert hello.startswith("id: 42\nevent: hello\n")
        bus.publish({"event": "notesChanged", "canvas": 5, "revision": 43, "blocks": ["channels"]})
        message = await anext(messages)
        lines = message.strip().split("\n")
        assert lines[0] == "id: 43" and lines[1] == "event: notesChanged"
        assert json.loads(lines[2].removeprefix("data: "))["blocks"] == ["channels"]
        await messages.aclose()  # the browser went away
        assert bus.local.count(5) == 0

    run(scenario())


@pytest.mark.django_db
def test_a_write_publishes_its_event_on_commit(
    block, owner, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda self, e: sent.append(e)})()
    )
    with django_capture_on_commit_callbacks(execute=True):
        note = services.add_note(block=block, text="Hello", author=owner)
    assert sent == [
        {
            "event": "notesChanged",
            "canvas": block.canvas_id,
            "revision": 1,
            "tab": "",
            "blocks": [block.kind],
            "added": note.pk,  # pages append its card
        }
    ]


@pytest.mark.django_db
def test_a_timer_tells_pages_their_notes_stay_and_a_lock_does_not(
    canvas, owner, monkeypatch, django_capture_on_commit_callbacks
):
    """A timer click refreshes the workshop bar only (60 pages fetching the whole board for
    each click would be pure waste); a lock changes what the note lists offer."""
    from canvases.workshops import services as workshops

    sent = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda self, e: sent.append(e)})()
    )
    workshop = workshops.start_workshop(canvas=canvas, facilitator=owner)
    with django_capture_on_commit_callbacks(execute=True):
        workshops.start_timer(workshop=workshop, minutes=5, actor=owner)
        workshops.set_focus(workshop=workshop, block="channels", actor=owner)
        workshops.lock(workshop=workshop, actor=owner)
    assert [(e["event"], e.get("notes")) for e in sent] == [
        ("workshopChanged", False),
        ("workshopChanged", False),
        ("workshopChanged", None),
    ]


@pytest.mark.django_db
def test_a_privately_written_note_names_its_writer_by_a_token_only_their_pages_know(
    canvas, owner, editor, client_as, monkeypatch, django_capture_on_commit_callbacks
):
    from canvases.changes import writer_token
    from canvases.workshops import services as workshops

    sent = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda self, e: sent.append(e)})()
    )
    workshop = workshops.start_workshop(canvas=canvas, facilitator=owner)
    workshops.start_private_writing(workshop=workshop, actor=owner)
    guest = workshops.join(workshop=workshop, display_name="Grace")
    block = canvas.blocks.get(kind="channels")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(block=block, text="Secret", author=None, guest=guest)
        note = services.add_note(block=block, text="Mine", author=editor)
        partners = canvas.blocks.get(kind="key_partners")
        services.move_note(note=note, to_block=partners, position=0, actor=editor)
    guests, editors = (
        writer_token(canvas.pk, user_id=None, guest_id=guest.pk),
        writer_token(canvas.pk, user_id=editor.pk, guest_id=None),
    )
    assert [e.get("only") for e in sent] == [guests, editors, editors]
    assert guests != editors
    # The pages carry their viewer's token.
    page = client_as("editor").get(reverse("canvases:canvas-detail", args=[canvas.pk]))
    assert f'data-writer="{editors}"' in page.content.decode()

    sent.clear()
    workshops.reveal(workshop=workshop, actor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_note(note=note, text="Mine, revealed", version=note.version, actor=editor)
    assert "only" not in sent[-1]


@pytest.mark.django_db
def test_a_beat_that_changes_nothing_but_the_time_is_one_update_and_tells_nobody(
    canvas, owner, note, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    sent = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda self, e: sent.append(e)})()
    )
    with django_capture_on_commit_callbacks(execute=True):
        presence.beat(canvas=canvas, user=owner, tab="tab1", editing=None)
        with django_assert_num_queries(1):
            presence.beat(canvas=canvas, user=owner, tab="tab1", editing=None)
        presence.beat(canvas=canvas, user=owner, tab="tab1", editing=note)
    assert [e["event"] for e in sent] == ["presence", "presence"]  # the first, and the editing


@pytest.mark.django_db
def test_a_rolled_back_write_publishes_nothing(
    block, owner, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda self, e: sent.append(e)})()
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.add_note(block=block, text="Never", author=owner)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == [] and sent == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("outsider", 404), ("anonymous", 403)],
)
def test_event_stream_refuses_people_who_cannot_see_the_canvas(
    client_as, canvas, persona, expected
):
    response = client_as(persona).get(reverse("canvases:canvas-events", args=[canvas.pk]))
    assert response.status_code == expected


@pytest.mark.django_db
def test_event_stream_refuses_post(client_as, canvas):
    response = client_as("viewer").post(reverse("canvases:canvas-events", args=[canvas.pk]))
    assert response.status_code == 405


# Presence


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 204), ("editor", 204), ("viewer", 204), ("outsider", 404), ("anonymous", "login")],
)
def test_presence_beat_by_persona(client_as, canvas, persona, expected):
    url = reverse("canvases:presence-beat", args=[canvas.pk])
    assert outcome(client_as(persona).post(url, {"tab": "abc"}, **HTMX)) == expected


@pytest.mark.django_db
def test_presence_shows_who_is_here_and_what_they_edit(client_as, canvas, note, editor, owner):
    presence.join(canvas=canvas, user=owner, tab="t-owner")
    client_as("editor").post(
        reverse("canvases:presence-beat", args=[canvas.pk]), {"tab": "t-ed", "editing": note.pk}
    )
    html = client_as("owner").get(reverse("canvases:presence-bar", args=[canvas.pk]), **HTMX)
    text = html.content.decode()
    assert 'title="olivia (you)"' in text and 'title="eddie"' in text
    assert f'<li data-note="{note.pk}">eddie</li>' in text
    presence.leave(canvas_id=canvas.pk, tab="t-ed")
    assert not Presence.objects.filter(tab="t-ed").exists()


@pytest.mark.django_db
def test_presence_needs_a_valid_tab_and_note(client_as, canvas, team, owner):
    url = reverse("canvases:presence-beat", args=[canvas.pk])
    assert client_as("editor").post(url, {"tab": "no spaces!"}).status_code == 422
    assert client_as("editor").post(url, {"tab": "ok", "editing": "x"}).status_code == 422
    other = services.create_canvas(team=team, title="Other", author=owner)
    foreign = services.add_note(block=other.blocks.first(), text="x", author=owner)
    assert client_as("editor").post(url, {"tab": "ok", "editing": foreign.pk}).status_code == 404
    assert client_as("editor").get(url).status_code == 405
