"""Comment threads in the canvas file (version 2), in duplicates and in the PDF appendix."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.exports import canvas_file
from canvases.models import (
    BlockKind,
    Canvas,
    Comment,
    Note,
    Team,
    Thread,
    Viewer,
)
from canvases.sharing import services as sharing
from canvases.workshops import services as workshop_services
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db


def comment(canvas, note, author, text="Which shops?"):
    canvas.viewer = Viewer(user_id=author.pk)
    return comment_services.add_comment(
        canvas=canvas, target=target_of(canvas, "note", note.pk), text=text, author=author
    )


@pytest.fixture
def discussed(canvas, owner, viewer):
    """A canvas whose first note has a resolved thread of two comments (one edited), and
    whose second note has none."""
    first = services.add_note(
        block=canvas.blocks.get(kind=BlockKind.CHANNELS), text="Bike shops", author=owner
    )
    services.add_note(
        block=canvas.blocks.get(kind=BlockKind.KEY_PARTNERS), text="Frame maker", author=owner
    )
    asked = comment(canvas, first, viewer, "Which shops?\nAll of them?")
    comment(canvas, first, owner, "The three in town")
    Comment.objects.filter(pk=asked.pk).update(edited_at=datetime(2026, 11, 2, 9, tzinfo=UTC))
    Thread.objects.update(resolved_at=datetime(2026, 11, 3, 10, tzinfo=UTC), resolved_by=owner)
    return canvas


def note_dict(document, text):
    return next(note for note in document["notes"] if note["text"] == text)


def test_the_file_is_version_2_with_each_note_s_thread(discussed, viewer, owner):
    document = canvas_file.export_canvas(discussed)
    assert document["version"] == 2
    assert note_dict(document, "Frame maker")["thread"] is None
    thread = note_dict(document, "Bike shops")["thread"]
    assert thread["resolved_at"] == "2026-11-03T10:00:00+00:00"
    assert thread["resolved_by"] == owner.username
    first, second = thread["comments"]
    assert first["author"] == viewer.username and first["guest"] is False
    assert first["text"] == "Which shops?\nAll of them?"
    assert first["edited_at"] == "2026-11-02T09:00:00+00:00"
    assert datetime.fromisoformat(first["created_at"]).tzinfo is not None
    assert (second["author"], second["edited_at"]) == (owner.username, None)


def test_a_guest_s_comment_is_exported_under_their_name_marked_as_a_guest(canvas, note, owner):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    guest = workshop_services.join(workshop=workshop, display_name="Sam")
    canvas.viewer = Viewer(guest_id=guest.pk)
    comment_services.add_comment(
        canvas=canvas, target=target_of(canvas, "note", note.pk), text="Hi", author=None,
        guest=guest,
    )  # fmt: skip
    (said,) = canvas_file.export_canvas(canvas)["notes"][0]["thread"]["comments"]
    assert (said["author"], said["guest"]) == ("Sam", True)


def test_comments_of_notes_private_writing_hides_are_not_exported(canvas, owner, editor):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    secret = services.add_note(
        block=canvas.blocks.get(kind=BlockKind.CHANNELS), text="Secret idea", author=editor
    )
    comment(canvas, secret, editor, "Only mine so far")
    document = canvas_file.export_canvas(canvas)
    assert "Only mine so far" not in json.dumps(document)
    assert "Secret idea" not in json.dumps(document)


def test_import_keeps_members_as_authors_and_others_as_names(discussed, owner, viewer):
    document = canvas_file.export_canvas(discussed)
    comments = note_dict(document, "Bike shops")["thread"]["comments"]
    comments.append(dict(comments[1], author="stranger", text="From elsewhere"))
    comments.append(dict(comments[1], author="Sam", guest=True, text="As a guest"))
    comments.append(dict(comments[1], author=None, text="Someone who left"))
    other = Team.objects.create(name="Other team")
    other.memberships.create(user=viewer, role="owner")
    copy = canvas_file.import_canvas(canvas_file.parse(document), team=other, actor=viewer)
    thread = Thread.objects.get(canvas=copy)
    assert thread.note.text == "Bike shops" and thread.target_id == thread.note_id
    assert thread.resolved_at == datetime(2026, 11, 3, 10, tzinfo=UTC)
    assert thread.resolved_by is None  # the owner is no member of the other team
    names = [c.author_name for c in thread.comments.order_by("pk")]
    assert names == [
        viewer.username,
        f"{owner.username} (imported)",
        "stranger (imported)",
        "Sam (guest, imported)",
        "a former member",
    ]
    first = thread.comments.order_by("pk").first()
    assert first.edited_at == datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert not first.mentions.exists()
    # What an import kept, the next export writes the same way.
    again = note_dict(canvas_file.export_canvas(copy), "Bike shops")["thread"]
    assert again["comments"] == comments and again["resolved_by"] is None


def test_a_version_1_file_still_imports(discussed, owner, team):
    document = canvas_file.export_canvas(discussed)
    document["version"] = 1
    for note in document["notes"]:
        del note["thread"]
    copy = canvas_file.import_canvas(canvas_file.parse(document), team=team, actor=owner)
    assert Note.objects.of_canvas(copy).count() == 2
    assert not Thread.objects.filter(canvas=copy).exists()


def test_a_version_1_file_with_threads_is_refused(discussed):
    document = canvas_file.export_canvas(discussed)
    document["version"] = 1
    with pytest.raises(canvas_file.ImportError_, match="came with version 2"):
        canvas_file.parse(document)


def test_a_duplicate_copies_the_comments_without_mentioning_anyone(discussed, owner, viewer):
    comment(discussed, Note.objects.get(text="Bike shops"), owner, f"@{viewer.username} look")
    copy = canvas_file.duplicate_canvas(canvas=discussed, actor=owner)
    before = canvas_file.export_canvas(discussed)["notes"]
    assert canvas_file.export_canvas(copy)["notes"] == before
    copied = Comment.objects.filter(thread__canvas=copy)
    assert copied.count() == 3
    assert not any(c.mentions.exists() for c in copied)


def upload(client, team, document):
    body = json.dumps(document).encode()
    file = io.BytesIO(body)
    file.name = "canvas.json"
    return client.post(reverse("canvases:canvas-import"), {"team": team.pk, "file": file})


def with_comment(**changes):
    def change(document):
        thread = note_dict(document, "Bike shops")["thread"]
        thread["comments"][0].update(changes)

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (with_comment(text="x" * 5001), "at most 5000 characters"),
        (with_comment(text=" \u200b "), "is empty"),
        (with_comment(text="a\x00b"), "NUL"),
        (with_comment(author="x" * 151), "at most 150 characters"),
        (with_comment(author_id=1), "is not a field of this format"),
        (with_comment(guest="yes"), "valid boolean"),
        (with_comment(created_at=1700000000), "not a date and time written as text"),
        (with_comment(created_at="yesterday"), "not an ISO 8601 date and time"),
        (with_comment(created_at="2026-11-02T09:00:00"), "has no time zone"),
        (with_comment(created_at="0001-01-01T00:00:00+14:00"), "between 1970 and 9000"),
        (
            lambda d: note_dict(d, "Bike shops")["thread"].update(comments=[]),
            "at least 1 item",
        ),
        (
            lambda d: note_dict(d, "Bike shops")["thread"].update(resolved="yes"),
            "is not a field of this format",
        ),
        (lambda d: note_dict(d, "Frame maker").update(thread="nice"), "thread"),
    ],
)
def test_hostile_or_oversized_comments_are_refused_and_nothing_is_saved(
    client_as, discussed, team, change, message
):
    document = canvas_file.export_canvas(discussed)
    change(document)
    before = (Canvas.objects.count(), Note.objects.count(), Comment.objects.count())
    response = upload(client_as("editor"), team, document)
    assert response.status_code == 422
    page = response.content.decode().replace("&gt;", ">").replace("&#x27;", "'")
    assert message in page and "thread" in page
    assert (Canvas.objects.count(), Note.objects.count(), Comment.objects.count()) == before


def test_a_version_2_file_imports_through_the_page(client_as, discussed, team):
    response = upload(client_as("editor"), team, canvas_file.export_canvas(discussed))
    assert response.status_code == 303
    copy = Canvas.objects.exclude(pk=discussed.pk).get()
    assert Comment.objects.filter(thread__canvas=copy).count() == 2


# The PDF appendix


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf(client, canvas, **params):
    return client.get(reverse("canvases:export-pdf", args=[canvas.pk]), {"size": "a4", **params})


def test_the_appendix_is_there_only_when_asked(client_as, discussed, viewer):
    plain = pdf(client_as("viewer"), discussed)
    assert "Which shops?" not in pdf_text(plain)
    assert plain["Content-Disposition"].endswith('poster-a4.pdf"')
    asked = pdf(client_as("viewer"), discussed, comments="1")
    assert asked.status_code == 200 and asked["Content-Disposition"].endswith('pack-a4.pdf"')
    text = pdf_text(asked)
    assert "Comments" in text and "Channels" in text and "Bike shops" in text
    assert "Which shops? All of them?" in text and "The three in town" in text
    assert viewer.username in text and "Resolved 3 Nov 2026" in text and "edited" in text
    assert "Frame maker" not in text.split("Which shops?")[-1]  # no thread, not in the appendix
    assert len(PdfReader(io.BytesIO(asked.content)).pages) == 2


def test_the_appendix_of_a_canvas_without_comments_says_so(client_as, canvas, note):
    text = pdf_text(pdf(client_as("owner"), canvas, comments="1"))
    assert "Nobody has commented on this canvas yet." in text


def test_the_appendix_leaves_out_hidden_notes_and_the_trash(client_as, canvas, owner, editor):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    secret = services.add_note(
        block=canvas.blocks.get(kind=BlockKind.CHANNELS), text="Secret idea", author=editor
    )
    comment(canvas, secret, editor, "Only mine so far")
    text = pdf_text(pdf(client_as("editor"), canvas, comments="1"))
    assert "Only mine so far" not in text and "Nobody has commented" in text


@pytest.mark.parametrize("persona", ["owner", "editor", "viewer", "outsider", "anonymous"])
def test_the_appendix_by_persona(client_as, discussed, persona):
    response = pdf(client_as(persona), discussed, comments="1")
    expected = {"outsider": 404, "anonymous": "login"}.get(persona, 200)
    assert outcome(response) == expected


def test_a_bad_comments_option_is_422_and_htmx_gets_the_same(client_as, discussed):
    for headers in ({}, HTMX):
        response = client_as("viewer").get(
            reverse("canvases:export-pdf", args=[discussed.pk]),
            {"size": "a4", "comments": "yes"},
            headers=headers,
        )
        assert response.status_code == 422
        assert "“comments” is 1 or absent" in response.content.decode()


def test_a_share_link_s_pdf_has_no_comments(discussed, owner):
    made = sharing.create_share_link(
        canvas=discussed, actor=owner, label="", expires_at=None, show_member_names=True
    )
    client = Client()
    assert client.get(reverse("canvases:share-open", args=[made.token])).status_code == 302
    assert pdf(client, discussed).status_code == 200
    refused = pdf(client, discussed, comments="1")
    assert refused.status_code == 403 and "Which shops?" not in refused.content.decode()
    page = client.get(reverse("canvases:canvas-export", args=[discussed.pk]))
    assert 'name="comments"' not in page.content.decode()


def test_the_export_page_offers_the_appendix_off_by_default(client_as, discussed):
    page = client_as("viewer").get(reverse("canvases:canvas-export", args=[discussed.pk]))
    html = page.content.decode()
    assert '<input type="checkbox" name="comments" value="1">' in html
    assert "Include comments (appendix)" in html


def test_the_appendix_escapes_text_and_fetches_nothing(client_as, canvas, note, owner):
    comment(canvas, note, owner, '<img src="http://127.0.0.1:9/x.png"> <b>bold</b>')
    text = pdf_text(pdf(client_as("owner"), canvas, comments="1"))
    assert '<img src="http://127.0.0.1:9/x.png">' in text
