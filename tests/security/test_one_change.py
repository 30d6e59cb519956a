"""One user action = one service call = one transaction, one history record, one live event;
nothing changed = nothing recorded. Walks every POST route of the resolver (new routes must
say what they are), as someone allowed to make the change, with a body that makes one."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from canvas_site import live
from canvases import services
from canvases.models import ChangeRecord, Thread
from canvases.workshops import services as workshop_services
from segments import services as segment_services
from segments.models import Segment
from segments.profiles import services as profile_services

from .urls import all_routes, post_body

pytestmark = pytest.mark.django_db

RECORDED, ANNOUNCED, ELSEWHERE, READ_ONLY = "recorded", "announced", "elsewhere", "read only"
PRIVATE = "private"

# What a successful POST of each route leaves: one record and one event (RECORDED), an event
# alone (ANNOUNCED: a sign of life, private to the moment), or neither: because it changes no
# canvas (ELSEWHERE: accounts, teams, members, a new empty canvas), or because it changes only
# the page that sent it, whose answer shows the change (PRIVATE: a dot, secret until the
# results); READ_ONLY routes answer POST with 405.
KINDS = {
    "canvases:canvas-create": ELSEWHERE,
    "canvases:canvas-delete": RECORDED,
    "canvases:canvas-duplicate": RECORDED,
    "canvases:canvas-edit": RECORDED,
    "canvases:canvas-import": RECORDED,
    "canvases:canvas-restore": RECORDED,
    "canvases:change-undo": RECORDED,
    "canvases:invitation-accept": ELSEWHERE,
    "canvases:invitation-create": ELSEWHERE,
    "canvases:invitation-revoke": ELSEWHERE,
    "canvases:member-remove": ELSEWHERE,
    "canvases:member-role": ELSEWHERE,
    "canvases:comment-create": RECORDED,
    "canvases:inbox-read-all": ELSEWHERE,
    "canvases:mention-read": ELSEWHERE,
    "canvases:comment-delete": RECORDED,
    "canvases:comment-edit": RECORDED,
    "canvases:thread-resolve": RECORDED,
    "canvases:thread-reopen": RECORDED,
    "canvases:note-colour": RECORDED,
    "canvases:note-create": RECORDED,
    "canvases:note-delete": RECORDED,
    "canvases:note-edit": RECORDED,
    "canvases:note-move": RECORDED,
    "canvases:note-restore": RECORDED,
    "canvases:note-vote": PRIVATE,
    "canvases:presence-beat": ANNOUNCED,
    "canvases:team-create": ELSEWHERE,
    "canvases:share-create": RECORDED,
    "canvases:share-revoke": RECORDED,
    "canvases:version-create": RECORDED,
    "canvases:version-restore": RECORDED,
    "canvases:workshop-control": RECORDED,
    "canvases:workshop-join": RECORDED,
    "canvases:workshop-join-code": RECORDED,
    "canvases:workshop-start": RECORDED,
    "canvases:account-email": ELSEWHERE,
    "canvases:account-notifications": ELSEWHERE,
    "canvases:email-verification-resend": ELSEWHERE,
    "canvases:email-verify": ELSEWHERE,
    "password_reset": ELSEWHERE,
    "password_reset_confirm": ELSEWHERE,
    "login": ELSEWHERE,
    "logout": ELSEWHERE,
    "password_change": ELSEWHERE,
    "signup": ELSEWHERE,
    **dict.fromkeys(
        [
            "segments:criterion-create",
            "segments:criterion-delete",
            "segments:empathy-create",
            "segments:empathy-delete",
            "segments:empathy-promote",
            "segments:entry-create",
            "segments:entry-delete",
            "segments:entry-edit",
            "segments:entry-move",
            "segments:entry-sort",
            "segments:item-create",
            "segments:item-delete",
            "segments:item-edit",
            "segments:item-pin",
            "segments:segment-create",
            "segments:segment-delete",
            "segments:segment-economics",
            "segments:segment-edit",
            "segments:segment-move",
            "segments:snapshot-create",
            "segments:snapshot-delete",
            "segments:snapshot-edit",
        ],
        RECORDED,
    ),  # fmt: skip
}

# Who makes the change (the owner runs the world's workshop), and bodies that change something.
PERSONA = {
    "canvases:workshop-join": "anonymous",
    "canvases:mention-read": "editor",  # the world's mention is the editor's
    "canvases:workshop-join-code": "anonymous",
    "signup": "anonymous",
    "password_reset": "anonymous",
    "password_reset_confirm": "anonymous",
    "login": "anonymous",
}


def bodies(world) -> dict:
    editor = world.users["editor"]
    return {
        "canvases:note-move": {"block": "key_partners", "position": "0"},
        "canvases:note-vote": {},
        "canvases:canvas-import": {"team": str(world.team.pk), "file": canvas_file(world)},
        "canvases:change-undo": {},
        "segments:segment-move": {"position": "1"},
        "segments:entry-move": {"position": "1"},
        "segments:entry-sort": {},
        "segments:snapshot-edit": {**post_body("segments:snapshot-edit", world), "size": "999"},
        "signup": {"username": "newcomer", "email": "newcomer@example.org",
                   "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
        "login": {"username": editor.username, "password": "pw-" + editor.username},
        "password_change": {"old_password": "pw-olivia", "new_password1": "n3w-pass-phrase",
                            "new_password2": "n3w-pass-phrase"},
    }  # fmt: skip


def canvas_file(world):
    import io
    import json

    from canvases.exports.canvas_file import export_canvas

    upload = io.BytesIO(json.dumps(export_canvas(world.canvas)).encode())
    upload.name = "canvas.json"
    return upload


@pytest.fixture
def busy_world(world):
    """The world with something to move, sort, undo and vote on, and a round of voting."""
    owner = world.users["owner"]
    segment_services.create_segment(canvas=world.canvas, name="Students", actor=owner)
    profile_services.add_entry(segment=world.segment, list="pain", text="Rain", score=5,
                               actor=owner)  # fmt: skip
    services.add_note(block=world.canvas.blocks.get(kind="channels"), text="Flyers", author=owner)
    workshop_services.open_voting(workshop=world.workshop, block="", budget=3, actor=owner)
    return world


@pytest.fixture
def events(monkeypatch) -> list[dict]:
    """What the live bus is asked to publish."""
    sent: list[dict] = []
    spy = type("Spy", (), {"publish": lambda self, event: sent.append(event)})()
    monkeypatch.setattr(live, "_bus", spy)
    return sent


def post_routes() -> list:
    return [route for route in all_routes() if KINDS.get(route.name) != READ_ONLY]


def test_every_route_says_what_a_post_leaves():
    unknown = sorted(
        route.name
        for route in all_routes()
        if route.name not in KINDS and route.name not in READ_ONLY_ROUTES
    )
    assert not unknown, "add these routes to KINDS in tests/test_one_change.py: " + ", ".join(
        unknown
    )


# Routes that only read: POST answers 405 (tests/security/test_matrix.py checks that).
READ_ONLY_ROUTES = {
    "home", "canvases:canvas-list", "canvases:team-trash", "canvases:canvas-detail",
    "canvases:canvas-header", "canvases:canvas-board", "canvases:canvas-trash",
    "canvases:note-detail", "canvases:team-list", "canvases:team-members",
    "canvases:canvas-history", "canvases:version-compare", "canvases:canvas-events",
    "canvases:presence-bar", "canvases:workshop-bar", "canvases:workshop-summary",
    "canvases:workshop-summary-pdf", "canvases:workshop-list", "canvases:canvas-export",
    "canvases:export-pdf",
    "canvases:export-json", "canvases:export-csv", "canvases:export-markdown",
    "password_change_done", "password_reset_done", "password_reset_complete",
    "segments:segment-detail", "segments:segment-refresh",
    "segments:segment-checks", "segments:profile-detail", "segments:profile-refresh",
    "canvases:share-list", "canvases:share-open",
    "canvases:thread-detail", "canvases:mention-candidates", "canvases:inbox",
    "canvases:canvas-activity",
}  # fmt: skip


@pytest.mark.parametrize(
    "name", sorted(KINDS), ids=lambda name: name.replace("canvases:", "").replace(":", "-")
)
def test_one_request_makes_one_change(busy_world, name, events, django_capture_on_commit_callbacks):
    world = busy_world
    route = next(route for route in all_routes() if route.name == name)
    url = route.url(world)
    body = bodies(world).get(name, post_body(name, world))
    client = world.client(PERSONA.get(name, "owner"))
    if name == "canvases:change-undo":
        client.post(reverse("canvases:note-colour", args=[world.canvas.pk, world.visible_note.pk]),
                    {"colour": "blue"})  # fmt: skip
    if name == "canvases:workshop-start":  # one workshop at a time
        workshop_services.end(workshop=world.workshop, actor=world.users["owner"])
    if name == "canvases:thread-reopen":  # a resolved thread to reopen
        Thread.objects.filter(note=world.visible_note).update(resolved_at=timezone.now())
    if name == "segments:snapshot-create":  # today's figures differ from the ones recorded
        Segment.objects.filter(pk=world.segment.pk).update(size=4321)
    before = ChangeRecord.objects.count()
    with transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, body)
        added = ChangeRecord.objects.count() - before
        transaction.set_rollback(True)
    assert response.status_code < 400, (response.status_code, response.content[:300])
    expected = {RECORDED: (1, 1), ANNOUNCED: (0, 1), ELSEWHERE: (0, 0), PRIVATE: (0, 0)}[
        KINDS[name]
    ]
    assert (added, len(events)) == expected, (added, events)


def test_saving_a_note_unchanged_records_nothing(world, events, django_capture_on_commit_callbacks):
    client, note = world.client("owner"), world.visible_note
    url = reverse("canvases:note-edit", args=[world.canvas.pk, note.pk])
    body = {"text": note.text, "version": note.version, "colour": note.colour}
    before = ChangeRecord.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, body)
    assert response.status_code == 303
    assert ChangeRecord.objects.count() == before and events == []


def test_a_note_saved_with_text_colour_and_segments_is_one_record(world):
    client, note, segment = world.client("owner"), world.visible_note, world.segment
    url = reverse("canvases:note-edit", args=[world.canvas.pk, note.pk])
    body = {"text": "Bike shops and cafés", "version": note.version, "colour": "green",
            "segments_shown": "1", "segments": [segment.pk]}  # fmt: skip
    before = ChangeRecord.objects.count()
    assert client.post(url, body).status_code == 303
    assert ChangeRecord.objects.count() == before + 1
    record = ChangeRecord.objects.first()
    assert record.verb == "note.edited"
    assert (record.before["text"], record.before["colour"], record.before["segments"]) == (
        "Bike shops", "yellow", []
    )  # fmt: skip
    assert (record.after["text"], record.after["colour"]) == ("Bike shops and cafés", "green")
    assert record.after["segments"] == [{"id": segment.pk, "name": segment.name}]
    assert "text, colour and segments" in record.summary


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("canvases:canvas-edit", lambda w: {"title": w.canvas.title, "description": ""}),
        ("segments:segment-edit", lambda w: post_body("segments:segment-edit", w)
            | {"name": w.segment.name}),
        ("segments:entry-edit", lambda w: {"text": "Parking", "score": "4"}),
        ("canvases:workshop-control", lambda w: {"action": "unlock"}),
    ],
)  # fmt: skip
def test_a_save_that_changes_nothing_records_nothing(world, name, body):
    url = next(route for route in all_routes() if route.name == name).url(world)
    before = ChangeRecord.objects.count()
    assert world.client("owner").post(url, body(world)).status_code < 400
    assert ChangeRecord.objects.count() == before
