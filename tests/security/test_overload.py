"""Overload is a clear 503 with Retry-After, never a 500: a busy or absent database, busy PDF
renderers, and one person opening stream after stream."""

from __future__ import annotations

import sqlite3
import threading

import psycopg_pool
import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from canvas_site import errors, live, pdf
from canvases import page
from canvases.live import presence
from canvases.live.views import stream
from canvases.models import Presence
from tests.canvases.test_live import run


def handled(error: Exception, **headers):
    """What the 500 handler answers while `error` is being handled."""
    request = RequestFactory().get("/", **headers)
    try:
        raise error
    except Exception:
        return errors.server_error(request)


def pool_timeout() -> OperationalError:
    error = OperationalError("couldn't get a connection after 3.00 sec")
    error.__cause__ = psycopg_pool.PoolTimeout("couldn't get a connection after 3.00 sec")
    return error


def test_an_exhausted_pool_or_a_lost_database_answers_503_with_retry_after():
    for error in (pool_timeout(), OperationalError("connection refused")):
        response = handled(error)
        assert response.status_code == 503
        assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
        assert "try again in 5 seconds" in response.content.decode()


def test_htmx_gets_the_busy_message_as_plain_text():
    response = handled(pool_timeout(), HTTP_HX_REQUEST="true")
    assert response.status_code == 503 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == errors.BUSY_MESSAGE


def test_a_locked_sqlite_database_is_busy_but_a_bad_query_is_a_bug():
    locked = OperationalError("database is locked")
    locked.__cause__ = sqlite3.OperationalError("database is locked")
    bad = OperationalError("no such table: nope")
    bad.__cause__ = sqlite3.OperationalError("no such table: nope")
    assert handled(locked).status_code == 503
    assert handled(bad).status_code == 500
    assert handled(ValueError("a bug")).status_code == 500


@pytest.mark.django_db
def test_the_handler_is_wired_for_every_view(canvas, owner, monkeypatch):
    def away(*args, **kwargs):
        raise pool_timeout()

    monkeypatch.setattr(page, "canvas_for", away)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.get(reverse("canvases:canvas-detail", args=[canvas.pk]))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Busy for a moment" in response.content.decode()


# PDF renderers


def test_render_slots_serve_in_turn_and_refuse_past_the_queue():
    slots = pdf.RenderSlots(1, 1)
    inside, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def render(name: str, *, hold: bool = False) -> None:
        try:
            with slots.slot(wait=30):
                inside.set()
                if hold:
                    release.wait(30)
            outcomes[name] = "rendered"
        except pdf.RenderersBusy:
            outcomes[name] = "busy"

    first = threading.Thread(target=render, args=("first",), kwargs={"hold": True})
    first.start()
    inside.wait(30)
    second = threading.Thread(target=render, args=("second",))
    second.start()
    while slots.taken < 2 and second.is_alive():  # the second is queued behind the first
        second.join(0.01)
    render("third")  # the room is full: refused at once, not after a wait
    release.set()
    first.join()
    second.join()
    assert outcomes == {"first": "rendered", "second": "rendered", "third": "busy"}


@pytest.mark.django_db
def test_a_full_renderer_queue_answers_503_on_the_export_page(canvas, owner, monkeypatch):
    full = pdf.RenderSlots(1, 0)
    taken = full.slot(wait=0)
    taken.__enter__()
    monkeypatch.setattr(pdf, "_slots", full)
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("canvases:export-pdf", args=[canvas.pk]), {"size": "a3"})
    taken.__exit__(None, None, None)
    assert response.status_code == 503
    assert response["Retry-After"] == str(pdf.RenderersBusy.retry_after)
    page = response.content.decode()
    assert "Many PDFs are being made right now" in page and "Export" in page


# Event streams per person


@pytest.mark.django_db
def test_the_eleventh_page_of_one_person_closes_their_oldest(
    canvas, owner, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LIVE_STREAMS_PER_VIEWER = 10
    published = []
    monkeypatch.setattr(
        live, "_bus", type("Spy", (), {"publish": lambda s, e: published.append(e)})()
    )
    presence.join(canvas=canvas, user=editor, tab="someone-else")
    for number in range(11):
        with django_capture_on_commit_callbacks(execute=True):
            closed = presence.join(canvas=canvas, user=owner, tab=f"tab-{number}")
    assert closed == ["tab-0"]
    assert Presence.objects.filter(canvas=canvas, user=owner).count() == 10
    assert Presence.objects.filter(canvas=canvas, user=editor).count() == 1
    assert {"event": "streamClosed", "canvas": canvas.pk, "tabs": ["tab-0"]} in published


def test_a_closed_stream_says_so_and_ends_while_the_others_go_on():
    class Canvas:
        pk, revision = 9, 1

    async def scenario():
        bus = live.MemoryBus()
        oldest, newest = await bus.subscribe(9), await bus.subscribe(9)
        old_messages, new_messages = (
            stream(oldest, Canvas(), "old"),
            stream(newest, Canvas(), "new"),
        )
        for messages in (old_messages, new_messages):
            await anext(messages), await anext(messages)  # connected, hello
        bus.publish({"event": "streamClosed", "canvas": 9, "tabs": ["old"]})
        bus.publish({"event": "notesChanged", "canvas": 9, "revision": 2})
        assert (await anext(old_messages)).startswith("event: streamClosed")
        with pytest.raises(StopAsyncIteration):
            await anext(old_messages)
        assert "event: notesChanged" in await anext(new_messages)
        await new_messages.aclose()

    run(scenario())


@pytest.mark.django_db
def test_head_on_the_event_stream_checks_access_and_opens_nothing(canvas, owner, outsider):
    url = reverse("canvases:canvas-events", args=[canvas.pk])
    member, stranger = Client(), Client(raise_request_exception=False)
    member.force_login(owner)
    stranger.force_login(outsider)
    response = member.head(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
    assert stranger.head(url).status_code == 404
    assert member.put(url).status_code == 405
    assert not Presence.objects.exists()
