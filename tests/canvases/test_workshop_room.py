"""The workshop room: who a guest is on the page, authors on cards, the lock, dots left, the
invite panel, the timer's buttons, voting for the room and the guest preview (the summary's
notes and the past workshops: test_workshop_summary.py)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from canvases import services
from canvases.models import EVERYONE, Ballot, Guest, Note, Vote
from canvases.workshops import services as service
from canvases.workshops import voting
from tests.canvases.test_workshops import control, guest_client
from tests.conftest import HTMX, needs_postgres, outcome
from tests.security.test_races import all_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(canvas, editor):
    return service.start_workshop(canvas=canvas, facilitator=editor, title="Sprint zero")


@pytest.fixture
def facilitator(client_as) -> Client:
    return client_as("editor")


def page_url(canvas) -> str:
    return reverse("canvases:canvas-detail", args=[canvas.pk])


def bar(client, canvas, **headers) -> str:
    response = client.get(reverse("canvases:workshop-bar", args=[canvas.pk]), **HTMX, **headers)
    assert response.status_code == 200
    return response.content.decode()


def vote_url(workshop, note, direction="up") -> str:
    return reverse("canvases:note-vote", args=[workshop.pk, note.pk, direction])


def join(workshop, name: str) -> tuple[Client, Guest]:
    """Join by link under `name` (which the form may tidy): the client and the new guest."""
    client = Client()
    response = client.post(
        reverse("canvases:workshop-join", args=[workshop.join_token]), {"display_name": name}
    )
    assert response.status_code == 302
    return client, Guest.objects.filter(workshop=workshop).latest("pk")


def add_channel_note(canvas, text, author=None, guest=None) -> Note:
    block = canvas.blocks.get(kind="channels")
    return services.add_note(block=block, text=text, author=author, guest=guest)


# 1. Who a guest is on the page


def test_a_guest_sees_their_name_and_a_guest_badge_and_the_brand_leads_to_their_canvas(
    workshop, canvas
):
    client, _ = guest_client(workshop, "Grace Hopper")
    html = client.get(page_url(canvas)).content.decode()
    header = html.split('<header class="topbar">')[1].split("</header>")[0]
    assert "Grace Hopper" in header and '<span class="badge">guest</span>' in header
    assert f'class="brand" href="{page_url(canvas)}"' in header


def test_a_member_keeps_the_brand_link_home_and_no_guest_badge(workshop, canvas, client_as):
    html = client_as("viewer").get(page_url(canvas)).content.decode()
    header = html.split('<header class="topbar">')[1].split("</header>")[0]
    assert f'class="brand" href="{reverse("home")}"' in header
    assert "guest-badge" not in header


# 2. Authors on note cards


def authors(html: str) -> list[str]:
    return re.findall(r'<span class="note-author">([^<]*)</span>', html)


def test_note_cards_name_their_authors_during_a_workshop_that_is_not_anonymous(
    workshop, canvas, owner, client_as
):
    client, me = guest_client(workshop)
    add_channel_note(canvas, "Guest idea", guest=me)
    add_channel_note(canvas, "Owner idea", author=owner)
    html = client_as("viewer").get(page_url(canvas)).content.decode()
    assert sorted(authors(html)) == ["Grace", owner.username]


def test_anonymous_workshops_and_canvases_without_a_workshop_name_no_author(
    workshop, canvas, owner, editor, client_as
):
    client, me = guest_client(workshop)
    add_channel_note(canvas, "Guest idea", guest=me)
    add_channel_note(canvas, "Owner idea", author=owner)
    service.set_anonymous(workshop=workshop, anonymous=True, actor=editor)
    assert authors(client_as("viewer").get(page_url(canvas)).content.decode()) == []
    assert authors(client.get(page_url(canvas)).content.decode()) == []
    service.end(workshop=workshop, actor=editor)
    assert authors(client_as("viewer").get(page_url(canvas)).content.decode()) == []


# 3. The lock

LOCKED = "The facilitator locked the canvas."


@pytest.mark.parametrize("persona", ["guest", "owner", "viewer"])
def test_a_locked_canvas_shows_a_banner_and_no_add_fields(workshop, canvas, client_as, persona):
    client = guest_client(workshop)[0] if persona == "guest" else client_as(persona)
    adds = persona != "viewer"  # a viewer never adds notes, locked or not
    assert ('class="note-add"' in client.get(page_url(canvas)).content.decode()) == adds
    service.lock(workshop=workshop, actor=workshop.facilitator)
    html = client.get(page_url(canvas)).content.decode()
    assert LOCKED in html and "data-locked" in html
    assert 'class="note-add"' not in html
    service.unlock(workshop=workshop, actor=workshop.facilitator)
    html = client.get(page_url(canvas)).content.decode()
    assert LOCKED not in html
    assert ('class="note-add"' in html) == adds


def test_the_facilitator_still_edits_a_locked_canvas(workshop, canvas, facilitator):
    service.lock(workshop=workshop, actor=workshop.facilitator)
    html = facilitator.get(page_url(canvas)).content.decode()
    assert LOCKED not in html and "data-locked" not in html
    assert 'class="note-add"' in html
    assert "Unlock the canvas" in html


# 4. Dots left


@pytest.fixture
def voting_on(workshop, canvas, editor, owner):
    """Voting open on Channels with two dots each, and two notes to vote on."""
    notes = [add_channel_note(canvas, text, author=owner) for text in ("First", "Second")]
    workshop = service.open_voting(workshop=workshop, block="channels", budget=2, actor=editor)
    return workshop, notes


def test_the_bar_counts_dots_left_and_says_how_to_move_one_at_zero(voting_on, canvas):
    workshop, (first, second) = voting_on
    client, _ = guest_client(workshop)
    assert "2 of 2 dots left" in bar(client, canvas)
    assert client.post(vote_url(workshop, first), **HTMX).status_code == 200
    html = bar(client, canvas)
    assert "1 of 2 dots left" in html and "No dots left" not in html
    response = client.post(vote_url(workshop, second), **HTMX)
    assert "0 of 2 dots left" in response.content.decode()
    html = bar(client, canvas)
    assert "No dots left: take one back (−) to move it" in html
    assert 'data-dots-left="0"' in html
    client.post(vote_url(workshop, second, "down"), **HTMX)
    html = bar(client, canvas)
    assert "1 of 2 dots left" in html and "No dots left" not in html


def test_voting_with_no_dots_left_answers_a_clear_message(voting_on):
    workshop, (first, _) = voting_on
    client, me = guest_client(workshop)
    for _ in range(2):
        client.post(vote_url(workshop, first), **HTMX)
    response = client.post(vote_url(workshop, first), **HTMX)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "No dots left: you have used all your 2 dots."
    assert Vote.objects.filter(guest=me).count() == 2


def test_taking_back_a_dot_one_does_not_have_is_422(voting_on):
    workshop, (first, _) = voting_on
    client, _ = guest_client(workshop)
    response = client.post(vote_url(workshop, first, "down"), **HTMX)
    assert response.status_code == 422 and "no dot on this note" in response.content.decode()


def test_a_plain_vote_redirects_to_the_note_and_a_get_is_405(voting_on, canvas):
    workshop, (first, _) = voting_on
    client, _ = guest_client(workshop)
    response = client.post(vote_url(workshop, first))
    assert response.status_code == 303
    assert response["Location"] == page_url(canvas) + f"#note-{first.pk}"
    assert client.get(vote_url(workshop, first)).status_code == 405


# 6. The invite panel


def test_the_facilitator_gets_the_join_link_and_code_to_copy_and_a_qr_code(
    workshop, canvas, facilitator
):
    html = bar(facilitator, canvas)
    join = reverse("canvases:workshop-join", args=[workshop.join_token])
    assert f'value="http://testserver{join}"' in html
    assert f'value="{workshop.join_code}"' in html
    # The copy buttons wait for JavaScript (common.js shows them where it can copy).
    assert re.search(r'<button [^>]*data-copy="wb-link" hidden>Copy link</button>', html)
    assert re.search(r'<button [^>]*data-copy="wb-code" hidden>Copy code</button>', html)
    svg = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", html, re.DOTALL)
    assert svg is not None and "<path" in svg.group(0)
    assert "style=" not in svg.group(0)  # the CSP allows no style attribute


@pytest.mark.parametrize("persona", ["owner", "viewer", "guest"])
def test_only_the_facilitator_sees_the_invite_panel(workshop, canvas, client_as, persona):
    client = guest_client(workshop)[0] if persona == "guest" else client_as(persona)
    html = bar(client, canvas)
    assert "Sprint zero" in html
    assert "wb-join" not in html and "qr-code" not in html and "data-copy" not in html


# 7. The timer's buttons


def timer_buttons(html: str) -> set[str]:
    found = re.findall(r'value="(timer-(?:pause|resume|add))"', html)
    return set(found)


def test_resume_only_after_a_pause_and_one_more_minute_only_with_a_timer(
    workshop, canvas, facilitator
):
    assert timer_buttons(bar(facilitator, canvas)) == set()
    assert control(facilitator, workshop, "timer-start", {"minutes": "3"}).status_code == 200
    assert timer_buttons(bar(facilitator, canvas)) == {"timer-pause", "timer-add"}
    control(facilitator, workshop, "timer-pause")
    assert timer_buttons(bar(facilitator, canvas)) == {"timer-resume", "timer-add"}
    control(facilitator, workshop, "timer-add")
    workshop.refresh_from_db()
    assert 230 <= workshop.timer_left <= 240
    control(facilitator, workshop, "timer-resume")
    assert timer_buttons(bar(facilitator, canvas)) == {"timer-pause", "timer-add"}


# 8. Voting for the room


def room_on(client, workshop, budget: str = ""):
    return control(client, workshop, "room-on", {"room_budget": budget})


def test_room_dots_go_to_the_rooms_ballot_within_its_budget(
    voting_on, canvas, facilitator, editor, client_as
):
    workshop, (first, second) = voting_on
    assert room_on(facilitator, workshop, "3").status_code == 200
    workshop.refresh_from_db()
    assert workshop.room_voting and workshop.room_budget == 3
    for note in (first, first, second):
        assert facilitator.post(vote_url(workshop, note), **HTMX).status_code == 200
    response = facilitator.post(vote_url(workshop, second), **HTMX)
    assert response.status_code == 422
    assert response.content.decode() == "No dots left: the room has used all its 3 dots."
    assert Vote.objects.filter(room=True, user=editor).count() == 3
    assert Ballot.objects.get(room=True).dots_spent == 3
    assert not Ballot.objects.filter(room=False, user=editor).exists()
    html = bar(facilitator, canvas)
    assert "Voting for the room" in html and "3 room dots cast, 0 of 3 left" in html
    # A member's own dots are theirs, beside the room's.
    assert client_as("owner").post(vote_url(workshop, second), **HTMX).status_code == 200
    service.close_voting(workshop=workshop, actor=editor)
    results = [(r.note.text, r.dots, r.room_dots) for r in voting.results(workshop, EVERYONE)]
    assert results == [("First", 2, 2), ("Second", 2, 1)]
    assert "(2 from the room)" in bar(client_as("viewer"), canvas)


def test_a_room_dot_can_be_taken_back(voting_on, facilitator):
    workshop, (first, _) = voting_on
    room_on(facilitator, workshop, "1")
    facilitator.post(vote_url(workshop, first), **HTMX)
    assert facilitator.post(vote_url(workshop, first, "down"), **HTMX).status_code == 200
    assert not Vote.objects.exists()
    assert Ballot.objects.get(room=True).dots_spent == 0


def test_a_room_without_a_budget_of_its_own_outvotes_a_person(voting_on, facilitator):
    workshop, (first, _) = voting_on
    assert room_on(facilitator, workshop).status_code == 200
    workshop.refresh_from_db()
    assert workshop.room_voting and workshop.room_budget == 0
    for _ in range(5):  # more than a person's 2
        assert facilitator.post(vote_url(workshop, first), **HTMX).status_code == 200
    assert Vote.objects.filter(room=True).count() == 5


def test_room_off_gives_the_facilitator_their_own_dots_back(voting_on, facilitator, editor):
    workshop, (first, second) = voting_on
    room_on(facilitator, workshop, "5")
    facilitator.post(vote_url(workshop, first), **HTMX)
    assert control(facilitator, workshop, "room-off").status_code == 200
    workshop.refresh_from_db()
    assert not workshop.room_voting
    facilitator.post(vote_url(workshop, second), **HTMX)
    assert Vote.objects.filter(room=True).count() == 1
    assert Vote.objects.filter(room=False, user=editor).get().note == second
    assert "Voting for the room" not in bar(facilitator, workshop.canvas)


@pytest.mark.parametrize("budget", ["0", "9999", "abc", "-1"])
def test_a_bad_room_budget_is_422_with_a_message(workshop, facilitator, budget):
    response = room_on(facilitator, workshop, budget)
    assert response.status_code == 422
    assert response.content.decode() == (
        "Give the room between 1 and 500 dots (or leave it empty)."
    )
    workshop.refresh_from_db()
    assert not workshop.room_voting


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 403), ("viewer", 403), ("outsider", 404), ("anonymous", "login"),
     ("guest", "login")],
)  # fmt: skip
def test_only_the_facilitator_votes_for_the_room(workshop, client_as, persona, expected):
    client = guest_client(workshop)[0] if persona == "guest" else client_as(persona)
    assert outcome(room_on(client, workshop, "3")) == expected
    workshop.refresh_from_db()
    assert not workshop.room_voting


def test_the_controls_are_post_only(workshop, facilitator):
    url = reverse("canvases:workshop-control", args=[workshop.pk])
    assert facilitator.get(url, {"action": "room-on"}).status_code == 405


def test_only_the_facilitator_casts_room_dots_even_through_the_service(voting_on, owner):
    workshop, (first, _) = voting_on
    with pytest.raises(service.WorkshopError):
        voting.vote(workshop=workshop, note=first, user=owner, room=True)
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
@needs_postgres("real concurrent transactions")
def test_twenty_parallel_room_dots_spend_a_room_budget_of_four_exactly(canvas, owner, editor):
    note = add_channel_note(canvas, "Idea", author=owner)
    workshop = service.start_workshop(canvas=canvas, facilitator=editor)
    service.vote_for_the_room(workshop=workshop, on=True, budget=4, actor=editor)
    workshop = service.open_voting(workshop=workshop, block="", budget=1, actor=editor)
    client = Client()
    client.force_login(editor)

    def vote(_: int) -> int:
        return client.post(vote_url(workshop, note), **HTMX).status_code

    assert all_at_once(20, vote) == Counter({200: 4, 422: 16})
    assert Vote.objects.filter(room=True).count() == 4
    assert Ballot.objects.get(room=True).dots_spent == 4


# 8. Previewing as a guest

PREVIEW = "Previewing as a guest"


def test_the_facilitator_previews_the_page_as_a_guest_sees_it(workshop, canvas, facilitator):
    service.start_private_writing(workshop=workshop, actor=workshop.facilitator)
    add_channel_note(canvas, "Draft of the facilitator", author=workshop.facilitator)
    own = facilitator.get(page_url(canvas)).content.decode()
    assert "Draft of the facilitator" in own and "Facilitator controls" in own
    assert PREVIEW not in own
    html = facilitator.get(page_url(canvas), {"as": "guest"}).content.decode()
    assert PREVIEW in html and "data-preview" in html
    assert f'href="{page_url(canvas)}">Back to your view</a>' in html
    assert "Draft of the facilitator" not in html
    assert "Facilitator controls" not in html and "wb-join" not in html
    assert "Rename &amp; settings" not in html and 'class="note-open"' not in html
    assert reverse("canvases:canvas-history", args=[canvas.pk]) not in html
    assert 'class="note-add"' in html  # a guest adds notes


def test_the_preview_follows_the_lock_and_its_refreshes(workshop, canvas, facilitator):
    service.lock(workshop=workshop, actor=workshop.facilitator)
    html = facilitator.get(page_url(canvas), {"as": "guest"}).content.decode()
    assert LOCKED in html and 'class="note-add"' not in html
    # htmx refreshes of the bar name the page they are for.
    current = {"HTTP_HX_CURRENT_URL": f"http://testserver{page_url(canvas)}?as=guest"}
    assert PREVIEW in bar(facilitator, canvas, **current)
    assert PREVIEW not in bar(facilitator, canvas)


@pytest.mark.parametrize("persona", ["owner", "viewer", "guest"])
def test_only_the_facilitator_can_preview(workshop, canvas, client_as, persona):
    client = guest_client(workshop)[0] if persona == "guest" else client_as(persona)
    response = client.get(page_url(canvas), {"as": "guest"})
    assert response.status_code == 200 and PREVIEW not in response.content.decode()
