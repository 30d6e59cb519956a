"""@mentions: who is notified (team members only), the inbox, mark read, emails."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import mentions_of, target_of
from canvases.comments.mentions import mentioned_names
from canvases.models import Account, Mention, Viewer
from canvases.workshops import services as workshop_services
from tests.conftest import HTMX, PERSONAS, outcome

pytestmark = pytest.mark.django_db


def comment(canvas, note, text, author, capture):
    canvas.viewer = Viewer(user_id=author.pk)
    target = target_of(canvas, "note", note.pk)
    with capture(execute=True):
        return comment_services.add_comment(canvas=canvas, target=target, text=text, author=author)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@vera what do you think?", {"vera"}),
        ("cc @Eddie, @vera.", {"eddie", "vera"}),
        ("mail me at olivia@example.org", set()),
        ("@@vera @", set()),
    ],
)
def test_mentions_are_read_from_the_text(text, names):
    assert mentioned_names(text) == names


def test_a_mention_notifies_members_only(
    canvas, note, owner, viewer, outsider, django_capture_on_commit_callbacks
):
    c = comment(
        canvas,
        note,
        "@VERA look, @oscar too, and @olivia",
        owner,
        django_capture_on_commit_callbacks,
    )
    # vera is a member (any case); oscar is not; olivia is the author herself.
    assert list(c.mentions.values_list("user__username", flat=True)) == ["vera"]


def give_address(user, email: str, *, verified: bool = True, mention_emails: bool = True) -> None:
    get_user_model().objects.filter(pk=user.pk).update(email=email)
    Account.objects.update_or_create(
        user=user,
        defaults={"verified_email": email if verified else "", "mention_emails": mention_emails},
    )


def test_a_mention_emails_a_member_with_a_verified_address_who_wants_them_and_nobody_else(
    canvas, note, owner, viewer, editor, outsider, django_capture_on_commit_callbacks
):
    give_address(viewer, "vera@example.org")
    give_address(editor, "eddie@example.org", verified=False)  # not confirmed: no email
    give_address(owner, "olivia@example.org", mention_emails=False)  # turned them off
    comment(canvas, note, "@eddie: please check", viewer, django_capture_on_commit_callbacks)
    comment(canvas, note, "@olivia: please check", viewer, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    comment(
        canvas, note, "@vera and @eddie: please check", owner, django_capture_on_commit_callbacks
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vera@example.org"]
    assert "olivia mentioned you" in mail.outbox[0].subject
    assert "please check" in mail.outbox[0].body and "?thread=note-" in mail.outbox[0].body


def test_an_edit_notifies_only_newly_mentioned_members(
    canvas, note, owner, viewer, editor, django_capture_on_commit_callbacks
):
    give_address(viewer, "vera@example.org")
    give_address(editor, "eddie@example.org")
    c = comment(canvas, note, "@vera", owner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.edit_comment(canvas=canvas, target=target_of(canvas, "note", note.pk),
                                      comment=c, text="@vera and @eddie", actor=owner)  # fmt: skip
    assert Mention.objects.count() == 2 and len(mail.outbox) == 2


def test_a_mention_on_a_hidden_note_waits_for_the_reveal(
    canvas, block, owner, editor, viewer, django_capture_on_commit_callbacks
):
    get_user_model().objects.filter(pk=viewer.pk).update(email="vera@example.org")
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    secret = services.add_note(block=block, text="Secret", author=editor)
    comment(canvas, secret, "@vera soon", editor, django_capture_on_commit_callbacks)
    assert Mention.objects.count() == 1 and mail.outbox == []
    assert mentions_of(viewer).count() == 0  # not in the inbox while the note is hidden
    workshop_services.reveal(workshop=workshop, actor=owner)
    assert mentions_of(viewer).count() == 1


def test_the_inbox_lists_mentions_with_a_link_in_place(
    client_as, canvas, note, owner, django_capture_on_commit_callbacks
):
    c = comment(
        canvas,
        note,
        "@vera <b>see</b> https://example.org",
        owner,
        django_capture_on_commit_callbacks,
    )
    response = client_as("viewer").get(reverse("canvases:inbox"))
    html = response.content.decode()
    assert response.status_code == 200 and "&lt;b&gt;see&lt;/b&gt;" in html
    assert 'class="unread-count">1' in html and "Value Propositions" in html
    assert client_as("editor").get(reverse("canvases:inbox")).content.count(b"inbox-item") == 0
    mention = Mention.objects.get()
    opened = client_as("viewer").post(
        reverse("canvases:mention-read", args=[mention.pk]), {"open": "1"}
    )
    assert opened.status_code == 303 and opened["Location"] == c.get_absolute_url()
    mention.refresh_from_db()
    assert mention.read_at is not None


def test_mark_read_and_mark_all_read(
    client_as, canvas, note, owner, django_capture_on_commit_callbacks
):
    for text in ("@vera one", "@vera two"):
        comment(canvas, note, text, owner, django_capture_on_commit_callbacks)
    first = Mention.objects.last()
    client = client_as("viewer")
    response = client.post(reverse("canvases:mention-read", args=[first.pk]), **HTMX)
    assert (
        response.status_code == 200
        and b'hx-swap-oob="true">Inbox <span class="unread-count">1<' in response.content
    )
    assert Mention.objects.filter(read_at=None).count() == 1
    assert client.post(reverse("canvases:inbox-read-all")).status_code == 303
    assert not Mention.objects.filter(read_at=None).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_mentioned_member_marks_a_mention(
    client_as, canvas, note, owner, persona, django_capture_on_commit_callbacks
):
    comment(canvas, note, "@vera", owner, django_capture_on_commit_callbacks)
    url = reverse("canvases:mention-read", args=[Mention.objects.get().pk])
    expected = {"viewer": 303, "anonymous": "login"}.get(persona, 404)
    assert outcome(client_as(persona).post(url)) == expected
    assert client_as("viewer").get(url).status_code == 405


def test_a_mention_in_a_team_one_left_disappears(
    canvas, note, owner, viewer, django_capture_on_commit_callbacks
):
    comment(canvas, note, "@vera", owner, django_capture_on_commit_callbacks)
    viewer.memberships.all().delete()
    assert mentions_of(viewer).count() == 0


def test_the_inbox_is_empty_with_a_hint(client_as):
    html = client_as("viewer").get(reverse("canvases:inbox")).content.decode()
    assert "Nothing here yet" in html and "unread-count" not in html
