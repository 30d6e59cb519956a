"""Private writing is private everywhere: while a note is hidden, nobody but its author can read
its text, through any URL of the app, in any file it makes, or in what the live stream sends.

The probe walks every URL pattern of the resolver (new routes are covered automatically) as
each persona, with the hidden notes' ids wherever a URL takes a note.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from canvas_site import live
from canvases import services
from canvases.models import Note

from .conftest import GUEST_SECRET, MEMBER_SECRET, PERSONAS, SECRETS
from .probes import readable_text
from .urls import all_routes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def query_variants(name: str, world) -> list[dict]:
    """Query strings that make a route show more than its default."""
    versions = list(world.canvas.versions.order_by("pk"))
    return {
        "canvases:version-compare": [
            {"a": str(versions[0].pk), "b": "current"},
            {"a": str(versions[0].pk), "b": str(versions[-1].pk)},
            {"a": str(versions[-1].pk), "b": "current"},
        ],
        "canvases:export-pdf": [{}, {"segments": str(world.segment.pk), "size": "a4"}],
        "canvases:canvas-board": [{}, {"blocks": "channels"}],
    }.get(name, [{}])


def secrets_hidden_from(persona: str, world) -> list[str]:
    return [secret for secret in SECRETS if world.author_of(secret) != persona]


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


def probed_urls(world):
    """Every route, plain and htmx, with each hidden note wherever a route takes a note."""
    for route in all_routes():
        for note in (world.member_secret_note, world.guest_secret_note):
            overrides = {
                name: value
                for name, value in {
                    "note_id": note.pk,
                    "target_id": note.pk,
                    # The hidden note's comment quotes its secret; the guest's note has none.
                    "comment_id": world.secret_comment.pk,
                }.items()
                if name in route.arguments
            }
            for headers in ({}, HTMX):
                yield route, route.url(world, **overrides), headers


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_shows_a_hidden_note_to_anyone_but_its_author(world, persona):
    hidden = secrets_hidden_from(persona, world)
    client = world.client(persona)
    found = []
    for route, url, headers in probed_urls(world):
        for query in query_variants(route.name, world):
            response = client.get(url, query, **headers)
            for secret in leaks(readable_text(response), hidden):
                found.append(f"{route.name} {url}?{query} {headers}: {secret}")
    assert not found, "\n".join(found)


# POST bodies that get past form validation, so that the probe reaches what a write answers.
POST_DATA = {
    "canvases:note-edit": {"text": "Changed", "version": "2"},
    "canvases:note-move": {"step": "down"},
    "canvases:note-colour": {"colour": "pink"},
    "canvases:note-create": {"text": "New note"},
    "canvases:canvas-edit": {"title": "Renamed"},
    "canvases:version-create": {"name": "Copy"},
    "canvases:version-restore": {"as": "copy"},
    "canvases:workshop-control": {"action": "timer-add"},
    "canvases:presence-beat": {"tab": "probe-tab"},
    "canvases:comment-create": {"text": "A remark"},
    "canvases:comment-edit": {"text": "A better remark"},
}


def copies_of_secrets(world) -> list[str]:
    """A secret anywhere but in its own hidden note: a copy, a restore, a revealed duplicate."""
    originals = {world.member_secret_note.pk, world.guest_secret_note.pk}
    stray = []
    for secret in SECRETS:
        for note in Note.objects.filter(text__contains=secret):
            if note.pk not in originals or not note.hidden:
                stray.append(f"note {note.pk} on canvas {note.block.canvas_id}: {secret}")
    return stray


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_write_reveals_a_hidden_note(world, persona):
    hidden = secrets_hidden_from(persona, world)
    client = world.client(persona)
    found = []
    for route, url, headers in probed_urls(world):
        with transaction.atomic():  # each write is undone before the next one
            response = client.post(url, POST_DATA.get(route.name, {}), **headers)
            for secret in leaks(readable_text(response), hidden):
                found.append(f"POST {route.name} {url} {headers}: {secret}")
            found += [f"POST {route.name} {url}: {copy}" for copy in copies_of_secrets(world)]
            transaction.set_rollback(True)
    assert not found, "\n".join(found)


def test_the_live_stream_carries_ids_never_note_text(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Events name what changed; the text comes with the fragment, through the same rule."""
    published = []
    monkeypatch.setattr(live, "get_bus", lambda: type("Bus", (), {"publish": published.append}))
    editor = world.users["editor"]
    with django_capture_on_commit_callbacks(execute=True):
        block = world.canvas.blocks.get(kind="key_partners")
        note = services.add_note(block=block, text="stream-secret", author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_note(note=note, text="stream-secret 2", version=1, actor=editor)
    assert [event["event"] for event in published] == ["notesChanged", "notesChanged"]
    assert not [event for event in published if "secret" in json.dumps(event)]


def test_the_probe_can_see_what_it_looks_for(world):
    """The probe is not blind: the authors do read their own hidden notes."""
    page = world.client("editor").get(f"/canvases/{world.canvas.pk}/")
    assert MEMBER_SECRET in page.content.decode()
    assert GUEST_SECRET not in page.content.decode()
    page = world.client("guest").get(f"/canvases/{world.canvas.pk}/")
    assert GUEST_SECRET in page.content.decode()
