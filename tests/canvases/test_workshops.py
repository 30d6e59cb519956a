"""Workshops: start, join, guests' rights, facilitator controls, voting, lock, end, summary."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canvases import services
from canvases.models import EVERYONE, Guest, Note, Vote, Workshop
from canvases.workshops import services as service
from canvases.workshops import voting
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(canvas, editor):
    return service.start_workshop(canvas=canvas, facilitator=editor, title="Sprint zero")


def guest_client(workshop, name="Grace") -> tuple[Client, Guest]:
    client = Client()
    response = client.post(
        reverse("canvases:workshop-join", args=[workshop.join_token]), {"display_name": name}
    )
    assert response.status_code == 302
    return client, Guest.objects.get(workshop=workshop, display_name=name)


@pytest.fixture
def guest(workshop):
    return guest_client(workshop)


@pytest.fixture
def other_guest(team, owner):
    other = services.create_canvas(team=team, title="Another canvas", author=owner)
    other_workshop = service.start_workshop(canvas=other, facilitator=owner)
    return guest_client(other_workshop, "Mallory")


def control(client, workshop, action, data=None):
    path = reverse("canvases:workshop-control", args=[workshop.pk])
    return client.post(path, {"action": action, **(data or {})}, **HTMX)


def note_create(canvas, kind="channels"):
    return reverse("canvases:note-create", args=[canvas.pk, kind])


# Joining


def test_links_carry_at_least_128_random_bits(workshop):
    assert len(workshop.join_token) >= 32  # 24 random bytes, url-safe base64
    assert len(workshop.join_code) == 6


def test_joining_by_link_needs_only_a_name(workshop):
    client = Client()
    url = reverse("canvases:workshop-join", args=[workshop.join_token])
    assert "Your name" in client.get(url).content.decode()
    assert client.post(url, {"display_name": "   "}).status_code == 422
    response = client.post(url, {"display_name": "Grace"})
    assert response["Location"] == reverse("canvases:canvas-detail", args=[workshop.canvas_id])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("state", ["ended", "expired", "wrong"])
def test_closed_or_wrong_links_get_a_clear_page(workshop, state):
    if state == "ended":
        service.end(workshop=workshop, actor=workshop.facilitator)
    elif state == "expired":
        Workshop.objects.filter(pk=workshop.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    token = "nope" if state == "wrong" else workshop.join_token
    response = Client().post(
        reverse("canvases:workshop-join", args=[token]), {"display_name": "Eve"}
    )
    assert response.status_code in (404, 410)
    assert "This workshop is not open" in response.content.decode()
    assert not Guest.objects.exists()


def test_joining_by_code_and_wrong_codes_are_throttled(workshop, settings):
    client = Client()
    url = reverse("canvases:workshop-join-code")
    for _ in range(10):
        response = client.post(url, {"code": "ZZZZZZ", "display_name": "Eve"})
        assert response.status_code == 422
    response = client.post(url, {"code": workshop.join_code, "display_name": "Eve"})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    fresh = Client(REMOTE_ADDR="10.9.8.7")
    assert (
        fresh.post(url, {"code": workshop.join_code.lower(), "display_name": "Eve"}).status_code
        == 302
    )


# What a guest may do


def test_a_guest_reads_and_adds_notes_to_their_workshops_canvas(guest, canvas):
    client, me = guest
    assert client.get(reverse("canvases:canvas-detail", args=[canvas.pk])).status_code == 200
    assert client.post(note_create(canvas), {"text": "Guest idea"}, **HTMX).status_code == 200
    note = Note.objects.get(text="Guest idea")
    assert note.guest == me and note.author is None


def test_a_guest_edits_and_deletes_only_their_own_notes(guest, canvas, owner):
    client, me = guest
    client.post(note_create(canvas), {"text": "Mine"}, **HTMX)
    mine = Note.objects.get(text="Mine")
    theirs = services.add_note(
        block=canvas.blocks.get(kind="channels"), text="Theirs", author=owner
    )
    edit = lambda note: reverse("canvases:note-edit", args=[canvas.pk, note.pk])  # noqa: E731
    delete = lambda note: reverse("canvases:note-delete", args=[canvas.pk, note.pk])  # noqa: E731
    assert (
        client.post(edit(mine), {"text": "Mine, edited", "version": 1}, **HTMX).status_code == 200
    )
    assert client.post(edit(theirs), {"text": "Hacked", "version": 1}, **HTMX).status_code == 403
    assert client.post(delete(theirs), **HTMX).status_code == 403
    assert client.post(delete(mine), **HTMX).status_code == 200
    theirs.refresh_from_db()
    assert theirs.text == "Theirs" and theirs.deleted_at is None


@pytest.mark.parametrize(
    "name",
    [
        "canvas-edit",
        "canvas-duplicate",
        "canvas-delete",
        "canvas-history",
        "canvas-export",
        "canvas-trash",
    ],
)
def test_a_guest_cannot_touch_the_canvas_structure(guest, canvas, name):
    client, _ = guest
    response = client.post(reverse(f"canvases:{name}", args=[canvas.pk]), {"title": "x"})
    assert outcome(response) in ("login", 405)


def test_a_guest_cannot_touch_segments_or_move_notes(guest, canvas, owner):
    from segments import services as segment_services

    client, _ = guest
    segment = segment_services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    note = services.add_note(block=canvas.blocks.get(kind="channels"), text="x", author=owner)
    assert (
        outcome(client.post(reverse("segments:segment-create", args=[canvas.pk]), {"name": "y"}))
        == "login"
    )
    assert (
        outcome(client.get(reverse("segments:segment-detail", args=[canvas.pk, segment.pk])))
        == "login"
    )
    assert (
        outcome(
            client.post(reverse("canvases:note-move", args=[canvas.pk, note.pk]), {"step": "up"})
        )
        == "login"
    )


def test_a_guest_of_another_workshop_gets_404(other_guest, canvas, workshop):
    client, _ = other_guest
    assert client.get(reverse("canvases:canvas-detail", args=[canvas.pk])).status_code == 404
    assert client.post(note_create(canvas), {"text": "x"}).status_code == 404
    assert client.get(reverse("canvases:canvas-events", args=[canvas.pk])).status_code == 404
    assert client.get(reverse("canvases:workshop-bar", args=[canvas.pk]), **HTMX).status_code == 404


def test_ending_and_revoking_take_effect_on_the_next_request(workshop, canvas, editor):
    client, me = guest_client(workshop)
    other, _ = guest_client(workshop, "Alan")
    page = reverse("canvases:canvas-detail", args=[canvas.pk])
    assert client.get(page).status_code == 200
    facilitator = Client()
    facilitator.force_login(editor)
    control(facilitator, workshop, "revoke", {"guest": me.pk})
    response = client.get(page)
    assert response.status_code == 403 and "not open" in response.content.decode()
    assert other.get(page).status_code == 200
    control(facilitator, workshop, "end")
    assert other.get(page).status_code == 403
    assert other.post(note_create(canvas), {"text": "late"}).status_code == 403


# Facilitator controls


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("editor", 200), ("owner", 403), ("viewer", 403), ("outsider", 404), ("anonymous", "login")],
)
def test_only_the_facilitator_controls_the_workshop(client_as, workshop, persona, expected):
    response = control(client_as(persona), workshop, "lock")
    assert outcome(response) == expected
    workshop.refresh_from_db()
    assert workshop.locked == (expected == 200)


def test_a_guest_cannot_use_the_controls(guest, workshop):
    client, _ = guest
    assert outcome(control(client, workshop, "lock")) == "login"


@pytest.mark.parametrize("persona", ["owner", "editor", "viewer", "outsider", "anonymous"])
def test_starting_a_workshop_by_persona(client_as, canvas, persona):
    response = client_as(persona).post(
        reverse("canvases:workshop-start", args=[canvas.pk]), {"title": "T"}
    )
    expected = {"owner": 303, "editor": 303, "viewer": 403, "outsider": 404, "anonymous": "login"}[
        persona
    ]
    assert outcome(response) == expected
    assert Workshop.objects.exists() == (expected == 303)


def test_one_workshop_at_a_time(workshop, canvas, owner):
    with pytest.raises(service.WorkshopError):
        service.start_workshop(canvas=canvas, facilitator=owner)


def test_timer_start_pause_resume_and_add_a_minute(workshop, editor):
    workshop = service.start_timer(workshop=workshop, minutes=5, actor=editor)
    assert 298 <= workshop.seconds_left() <= 300
    workshop = service.pause_timer(workshop=workshop, actor=editor)
    left = workshop.seconds_left()
    assert workshop.timer_ends_at is None and 298 <= left <= 300
    workshop = service.add_minute(workshop=workshop, actor=editor)
    assert workshop.seconds_left() == left + 60
    workshop = service.resume_timer(workshop=workshop, actor=editor)
    assert workshop.timer_running


@pytest.mark.parametrize(
    ("action", "data"),
    [("timer-start", {"minutes": "0"}), ("focus", {"block": "nowhere"}),
     ("voting-open", {"budget": "99"}), ("voting-open", {"vote_block": "nowhere"}),
     ("revoke", {"guest": "12345"}), ("nonsense", {})],
)  # fmt: skip
def test_bad_control_input_is_422(client_as, workshop, action, data):
    assert control(client_as("editor"), workshop, action, data).status_code == 422


def test_private_writing_hides_notes_from_others_until_revealed(workshop, canvas, owner, editor):
    service.start_private_writing(workshop=workshop, actor=editor)
    client, me = guest_client(workshop)
    client.post(note_create(canvas), {"text": "Private idea"}, **HTMX)
    page = reverse("canvases:canvas-detail", args=[canvas.pk])
    assert "Private idea" in client.get(page).content.decode()
    member = Client()
    member.force_login(owner)
    assert "Private idea" not in member.get(page).content.decode()
    assert service.reveal(workshop=workshop, actor=editor) == 1
    assert "Private idea" in member.get(page).content.decode()


def test_anonymous_workshops_do_not_name_guests_in_history(workshop, canvas, editor):
    service.set_anonymous(workshop=workshop, anonymous=True, actor=editor)
    client, _ = guest_client(workshop)
    client.post(note_create(canvas), {"text": "Quiet idea"}, **HTMX)
    assert canvas.changes.first().summary.startswith("a guest added")


def test_dot_voting_with_a_budget_and_ranked_results(workshop, canvas, owner, editor):
    block = canvas.blocks.get(kind="channels")
    first = services.add_note(block=block, text="First", author=owner)
    second = services.add_note(block=block, text="Second", author=owner)
    outside = services.add_note(
        block=canvas.blocks.get(kind="key_partners"), text="Out", author=owner
    )
    workshop = service.open_voting(workshop=workshop, block="channels", budget=2, actor=editor)
    client, me = guest_client(workshop)
    vote = lambda note, way="up": client.post(  # noqa: E731
        reverse("canvases:note-vote", args=[workshop.pk, note.pk, way]), **HTMX
    )
    assert vote(second).status_code == 200
    answer = vote(second).content.decode()
    # The answer shows the voter their two dots on the note and none left in the bar.
    assert 'id="notes-channels"' in answer and "notes-key_partners" not in answer
    assert '<span class="my-dots" aria-label="your dots">2</span>' in answer
    assert "0 of 2 dots left" in answer
    response = vote(first)
    assert response.status_code == 422 and "all your 2 dots" in response.content.decode()
    assert vote(outside).status_code == 422
    assert vote(second, "down").status_code == 200
    assert vote(first).status_code == 200
    voting.vote(workshop=workshop, note=second, user=owner)
    results = voting.results(workshop, EVERYONE)
    assert [(r.note.text, r.dots) for r in results] == [("Second", 2), ("First", 1)]
    service.close_voting(workshop=workshop, actor=editor)
    assert vote(first).status_code == 422
    assert Vote.objects.count() == 3


def test_a_locked_canvas_refuses_everyone_but_the_facilitator(
    workshop, canvas, owner, editor, client_as
):
    service.lock(workshop=workshop, actor=editor)
    client, _ = guest_client(workshop)
    response = client.post(note_create(canvas), {"text": "x"}, **HTMX)
    assert response.status_code == 423 and "locked" in response.content.decode()
    assert client_as("owner").post(note_create(canvas), {"text": "x"}, **HTMX).status_code == 423
    assert (
        client_as("editor").post(note_create(canvas), {"text": "facilitator"}, **HTMX).status_code
        == 200
    )


def test_workshop_bar_for_members_guests_and_strangers(workshop, canvas, client_as):
    url = reverse("canvases:workshop-bar", args=[canvas.pk])
    assert "Facilitator controls" in client_as("editor").get(url, **HTMX).content.decode()
    assert "Facilitator controls" not in client_as("viewer").get(url, **HTMX).content.decode()
    client, _ = guest_client(workshop)
    assert "Sprint zero" in client.get(url, **HTMX).content.decode()
    assert client_as("outsider").get(url, **HTMX).status_code == 404
    assert outcome(client_as("anonymous").get(url, **HTMX)) == "login"


def test_summary_page_and_pdf(workshop, canvas, client_as, editor):
    client, _ = guest_client(workshop)
    client.post(note_create(canvas), {"text": "Guest idea"}, **HTMX)
    service.end(workshop=workshop, actor=workshop.facilitator)
    page = client_as("viewer").get(reverse("canvases:workshop-summary", args=[workshop.pk]))
    html = page.content.decode()
    assert "Grace (guest)" in html and "Channels" in html
    pdf = client_as("viewer").get(reverse("canvases:workshop-summary-pdf", args=[workshop.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client_as("outsider")
        .get(reverse("canvases:workshop-summary", args=[workshop.pk]))
        .status_code
        == 404
    )
    assert client.get(reverse("canvases:workshop-summary", args=[workshop.pk])).status_code in (
        302,
        403,
    )
