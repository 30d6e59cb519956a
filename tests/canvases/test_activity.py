"""The activity page: changes and comments merged by time, filtered, private writing kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.models import Viewer
from canvases.workshops import services as workshop_services
from tests.conftest import HTMX, PERSONAS, outcome

pytestmark = pytest.mark.django_db


def comment(canvas, note, text, author):
    canvas.viewer = Viewer(user_id=author.pk)
    target = target_of(canvas, "note", note.pk)
    return comment_services.add_comment(canvas=canvas, target=target, text=text, author=author)


def url(canvas, **query):
    path = reverse("canvases:canvas-activity", args=[canvas.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_see_the_activity(client_as, canvas, persona):
    expected = {"outsider": 404, "anonymous": "login"}.get(persona, 200)
    assert outcome(client_as(persona).get(url(canvas))) == expected
    assert outcome(client_as(persona).get(url(canvas), **HTMX)) == expected
    assert client_as("viewer").post(url(canvas)).status_code == 405


def test_changes_and_comments_merge_newest_first(client_as, canvas, note, viewer, owner):
    comment(canvas, note, "Which shops exactly?", viewer)
    services.add_note(block=canvas.blocks.get(kind="channels"), text="Flyers", author=owner)
    html = client_as("editor").get(url(canvas)).content.decode()
    flyers, question, bikes = (html.index(s) for s in ("Flyers", "Which shops", "added “Bikes"))
    assert flyers < question < bikes
    assert html.count("commented on") == 1  # the comment once, with its text, not its record


def test_filter_by_person_and_block(client_as, canvas, note, viewer, owner):
    comment(canvas, note, "Viewer's remark", viewer)
    services.add_note(block=canvas.blocks.get(kind="channels"), text="Flyers", author=owner)
    by_viewer = client_as("editor").get(url(canvas, person=viewer.pk)).content.decode()
    assert "Viewer&#x27;s remark" in by_viewer and "Flyers" not in by_viewer
    channels = client_as("editor").get(url(canvas, block="channels")).content.decode()
    assert "Flyers" in channels and "remark" not in channels
    nobody = client_as("editor").get(url(canvas, person=99999)).content.decode()
    assert "Flyers" in nobody  # an unknown person is no filter


def test_a_bad_cursor_is_422(client_as, canvas):
    assert client_as("editor").get(url(canvas, before="yesterday")).status_code == 422


def test_private_writing_hides_comments_and_changes(client_as, canvas, block, owner, editor):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    secret = services.add_note(block=block, text="Hidden idea", author=editor)
    comment(canvas, secret, "Hidden remark", editor)
    theirs = client_as("owner").get(url(canvas)).content.decode()
    assert "Hidden" not in theirs and "privately written note" in theirs
    assert "Hidden remark" in client_as("editor").get(url(canvas)).content.decode()


def test_pages_go_back_in_time(client_as, canvas, owner, monkeypatch):
    from datetime import timedelta

    from canvases.activity import feed
    from canvases.models import ChangeRecord

    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    block = canvas.blocks.get(kind="channels")
    for index in range(3):
        services.add_note(block=block, text=f"Idea {index}", author=owner)
    for age, record in enumerate(ChangeRecord.objects.order_by("-pk")):
        ChangeRecord.objects.filter(pk=record.pk).update(at=record.at - timedelta(minutes=age))
    entries, older = feed.activity(canvas_with_viewer(canvas, owner))
    assert [e.what[:12] for e in entries] == ["added “Idea ", "added “Idea "] and older
    rest, end = feed.activity(canvas_with_viewer(canvas, owner), before=older)
    assert len(rest) == 1 and "Idea 0" in rest[0].what and end is None


def canvas_with_viewer(canvas, user):
    canvas.viewer = Viewer(user_id=user.pk)
    return canvas
