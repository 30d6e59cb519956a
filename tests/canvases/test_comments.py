"""Comment threads on notes: services, views per persona, private writing, the trash."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.models import ChangeRecord, Comment, Thread, Viewer
from canvases.templatetags.canvas_tags import linked
from canvases.workshops import services as workshop_services
from tests.conftest import HTMX, PERSONAS, outcome

pytestmark = pytest.mark.django_db


def add(canvas, note, text="Which shops?", author=None):
    canvas.viewer = Viewer(user_id=author.pk)
    return comment_services.add_comment(
        canvas=canvas, target=target_of(canvas, "note", note.pk), text=text, author=author
    )


def thread_url(canvas, note, action=""):
    name = {"": "thread-detail", "new": "comment-create", "resolve": "thread-resolve",
            "reopen": "thread-reopen"}[action]  # fmt: skip
    return reverse(f"canvases:{name}", args=[canvas.pk, "note", note.pk])


def test_a_comment_is_one_change_with_one_event(
    canvas, note, viewer, django_capture_on_commit_callbacks
):
    before = ChangeRecord.objects.count()
    comment = add(canvas, note, author=viewer)
    assert ChangeRecord.objects.count() == before + 1
    record = ChangeRecord.objects.first()
    assert (record.verb, record.note_id, record.actor) == ("comment.added", note.pk, viewer)
    assert "Which shops?" in record.summary
    assert comment.thread.note == note and comment.thread.canvas == canvas


def test_saving_a_comment_unchanged_records_nothing(canvas, note, viewer):
    comment = add(canvas, note, author=viewer)
    before = ChangeRecord.objects.count()
    target = target_of(canvas, "note", note.pk)
    comment_services.edit_comment(canvas=canvas, target=target, comment=comment,
                                  text=comment.text, actor=viewer)  # fmt: skip
    assert ChangeRecord.objects.count() == before


def test_resolving_twice_records_once(canvas, note, owner):
    add(canvas, note, author=owner)
    target, thread = target_of(canvas, "note", note.pk), Thread.objects.get()
    before = ChangeRecord.objects.count()
    for _ in range(2):
        comment_services.resolve_thread(canvas=canvas, target=target, thread=thread, actor=owner)
    assert ChangeRecord.objects.count() == before + 1 and thread.resolved


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404), ("anonymous", "login")],
)
def test_who_may_comment(client_as, canvas, note, persona, expected):
    response = client_as(persona).post(thread_url(canvas, note, "new"), {"text": "Good"}, **HTMX)
    assert outcome(response) == expected
    assert Comment.objects.count() == (1 if expected == 200 else 0)


def test_plain_comment_redirects_to_the_thread_page(client_as, canvas, note):
    response = client_as("viewer").post(thread_url(canvas, note, "new"), {"text": "Good"})
    assert response.status_code == 303 and response["Location"] == thread_url(canvas, note)
    page = client_as("viewer").get(thread_url(canvas, note))
    assert page.status_code == 200 and b"Good" in page.content and b"<html" in page.content


def test_the_thread_panel_sends_the_cards_badge(client_as, canvas, note):
    response = client_as("viewer").post(thread_url(canvas, note, "new"), {"text": "Hm"}, **HTMX)
    html = response.content.decode()
    assert f'id="comments-note-{note.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "x" * 5001])
def test_bad_comments_are_refused_with_a_message(client_as, canvas, note, text):
    response = client_as("editor").post(thread_url(canvas, note, "new"), {"text": text}, **HTMX)
    assert response.status_code == 422
    assert b"field-error" in response.content and not Comment.objects.exists()


@pytest.mark.parametrize("url_name", ["thread-detail", "comment-create", "thread-resolve"])
def test_wrong_method_is_405(client_as, canvas, note, url_name):
    url = reverse(f"canvases:{url_name}", args=[canvas.pk, "note", note.pk])
    method = "post" if url_name == "thread-detail" else "get"
    assert getattr(client_as("editor"), method)(url).status_code == 405


def test_only_the_author_edits_or_deletes_a_comment(client_as, canvas, note, viewer, editor):
    comment = add(canvas, note, author=viewer)
    edit = reverse("canvases:comment-edit", args=[canvas.pk, comment.pk])
    delete = reverse("canvases:comment-delete", args=[canvas.pk, comment.pk])
    assert client_as("owner").post(edit, {"text": "Hijack"}).status_code == 403
    assert client_as("editor").post(delete).status_code == 403
    assert client_as("outsider").post(delete).status_code == 404
    assert client_as("viewer").post(edit, {"text": "Mine, better"}, **HTMX).status_code == 200
    comment.refresh_from_db()
    assert comment.text == "Mine, better" and comment.edited_at
    assert client_as("viewer").post(delete, **HTMX).status_code == 200
    assert not Comment.objects.exists()


def test_editors_and_the_thread_starter_resolve(client_as, canvas, note, viewer, owner, team):
    from canvases.teams import services as team_services

    add(canvas, note, author=owner)  # the owner started it: a viewer may not resolve it
    assert client_as("viewer").post(thread_url(canvas, note, "resolve")).status_code == 403
    assert client_as("editor").post(thread_url(canvas, note, "resolve")).status_code == 303
    assert Thread.objects.get().resolved
    assert client_as("viewer").post(thread_url(canvas, note, "reopen")).status_code == 403
    assert client_as("owner").post(thread_url(canvas, note, "reopen"), **HTMX).status_code == 200
    assert not Thread.objects.get().resolved
    other = services.add_note(block=note.block, text="Second", author=owner)
    add(canvas, other, author=viewer)
    assert client_as("viewer").post(thread_url(canvas, other, "resolve")).status_code == 303
    assert team_services  # the team fixture made the viewer a viewer


def test_resolving_an_empty_thread_is_404(client_as, canvas, note):
    assert client_as("editor").post(thread_url(canvas, note, "resolve")).status_code == 404


def test_the_card_shows_the_count(client_as, canvas, note, viewer):
    add(canvas, note, author=viewer)
    add(canvas, note, text="And when?", author=viewer)
    page = client_as("editor").get(canvas.get_absolute_url()).content.decode()
    assert f'id="comments-note-{note.pk}"' in page
    assert '<span class="comment-count">2</span>' in page


def test_a_trashed_note_keeps_its_thread(client_as, canvas, note, viewer, owner):
    add(canvas, note, author=viewer)
    services.trash_note(note=note, actor=owner)
    assert Thread.objects.get().comments.count() == 1
    assert client_as("viewer").get(thread_url(canvas, note)).status_code == 404
    trash = client_as("viewer").get(reverse("canvases:canvas-trash", args=[canvas.pk]))
    assert b"1 comment" in trash.content
    services.restore_note(note=note, actor=owner)
    assert client_as("viewer").get(thread_url(canvas, note)).status_code == 200
    Thread.objects.get().note.delete()  # purged: the thread goes with it
    assert not Comment.objects.exists()


def test_private_writing_hides_the_thread_of_a_hidden_note(client_as, canvas, owner, editor, block):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    secret = services.add_note(block=block, text="Secret idea", author=editor)
    add(canvas, secret, text="My own remark", author=editor)
    assert client_as("owner").get(thread_url(canvas, secret)).status_code == 404
    assert (
        client_as("owner").post(thread_url(canvas, secret, "new"), {"text": "x"}).status_code == 404
    )
    assert b"My own remark" in client_as("editor").get(thread_url(canvas, secret)).content
    assert Comment.objects.readable_by(Viewer(user_id=owner.pk)).count() == 0
    assert Comment.objects.readable_by(Viewer(user_id=editor.pk)).count() == 1


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("see https://example.org/a?b=1&c=2.", '<a href="https://example.org/a?b=1&amp;c=2" '
         'rel="nofollow noopener ugc" target="_blank">https://example.org/a?b=1&amp;c=2</a>.'),
        ('https://x.org/"onmouseover="alert(1)', '<a href="https://x.org/" rel="nofollow noopener'
         ' ugc" target="_blank">https://x.org/</a>&quot;onmouseover=&quot;alert(1)'),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("<a href=x>https://a.b</a>", "&lt;a href=x&gt;"),
    ],
)  # fmt: skip
def test_links_are_made_clickable_and_nothing_else(text, html):
    assert html in linked(text)


def test_the_thread_shows_comment_text_escaped(client_as, canvas, note, viewer):
    add(canvas, note, text="<img src=x onerror=alert(1)> https://ok.example", author=viewer)
    page = client_as("editor").get(thread_url(canvas, note)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert 'href="https://ok.example"' in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_mention_candidates_are_the_teams_members(client_as, canvas, persona):
    response = client_as(persona).get(reverse("canvases:mention-candidates", args=[canvas.pk]))
    expected = {"outsider": 404, "anonymous": "login"}.get(persona, 200)
    assert outcome(response) == expected
    if expected == 200:
        assert response.json() == {"usernames": ["eddie", "olivia", "vera"]}


def joined_guest(client, workshop, name="Grace"):
    url = reverse("canvases:workshop-join", args=[workshop.join_token])
    assert client.post(url, {"display_name": name}).status_code == 302


def test_a_guest_comments_during_the_workshop_only(canvas, note, owner):
    from django.test import Client

    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    client = Client()
    joined_guest(client, workshop)
    assert (
        client.post(thread_url(canvas, note, "new"), {"text": "From the room"}).status_code == 303
    )
    comment = Comment.objects.get()
    assert comment.guest.display_name == "Grace" and comment.author is None
    assert comment.author_name == "Grace (guest)"
    edit = reverse("canvases:comment-edit", args=[canvas.pk, comment.pk])
    assert client.post(edit, {"text": "From the room, edited"}).status_code == 303
    workshop_services.end(workshop=workshop, actor=owner)
    assert client.post(thread_url(canvas, note, "new"), {"text": "Late"}).status_code == 403
    assert Comment.objects.count() == 1


def test_nobody_comments_on_a_locked_canvas_but_the_facilitator(client_as, canvas, note, owner):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.lock(workshop=workshop, actor=owner)
    assert (
        client_as("viewer").post(thread_url(canvas, note, "new"), {"text": "x"}).status_code == 423
    )
    assert (
        client_as("owner").post(thread_url(canvas, note, "new"), {"text": "x"}).status_code == 303
    )
