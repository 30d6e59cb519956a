"""After a workshop: the summary's notes by block (dots, authors, guests named once) and a
canvas's past workshops."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from canvases import services
from canvases.models import Guest, Note, Workshop
from canvases.workshops import services as service
from tests.canvases.test_workshop_room import add_channel_note, join, page_url, vote_url
from tests.canvases.test_workshops import guest_client, note_create
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(canvas, editor):
    return service.start_workshop(canvas=canvas, facilitator=editor, title="Sprint zero")


def summary(client, workshop) -> str:
    response = client.get(reverse("canvases:workshop-summary", args=[workshop.pk]))
    assert response.status_code == 200
    return response.content.decode()


def notes_section(html: str) -> str:
    return html.split("<h2>Notes by block</h2>")[1].split("</section>")[0]


def test_the_summary_lists_notes_by_block_with_dots_and_authors(
    workshop, canvas, owner, editor, client_as
):
    before = add_channel_note(canvas, "From before", author=owner)
    untouched = services.add_note(
        block=canvas.blocks.get(kind="key_partners"), text="Untouched", author=owner
    )
    untouched.created_at = workshop.started_at - timedelta(days=1)
    before.created_at = untouched.created_at
    Note.objects.bulk_update([before, untouched], ["created_at"])
    client, me = join(workshop, "Ann  (Guest) ")
    assert me.display_name == "Ann"  # the page adds "(guest)" itself
    client.post(note_create(canvas, "customer_segments"), {"text": "Guest idea"}, **HTMX)
    guest_note = Note.objects.get(text="Guest idea")
    service.open_voting(workshop=workshop, block="", budget=3, actor=editor)
    for note in (guest_note, guest_note, before):
        client.post(vote_url(workshop, note), **HTMX)
    service.end(workshop=workshop, actor=editor)
    section = notes_section(summary(client_as("viewer"), workshop))
    assert "Guest idea" in section and "Ann (guest)" in section and "(guest) (guest)" not in section
    assert section.index("<h3>Channels</h3>") < section.index("<h3>Customer Segments</h3>")
    by = r"</span> <span[^>]*>· {}</span> <strong[^>]*>{}</strong>"
    assert re.search("Guest idea" + by.format(r"Ann \(guest\)", "2 dots"), section)
    assert re.search("From before" + by.format("olivia", "1 dot"), section)
    assert "(from before)" in section and "Untouched" not in section


def test_an_anonymous_workshops_summary_names_no_guest(workshop, canvas, editor, client_as):
    service.set_anonymous(workshop=workshop, anonymous=True, actor=editor)
    client, _ = join(workshop, "Ann")
    client.post(note_create(canvas), {"text": "Quiet idea"}, **HTMX)
    section = notes_section(summary(client_as("viewer"), workshop))
    assert "· a guest" in section and "Ann" not in section


def test_a_name_saved_with_its_own_guest_suffix_is_not_doubled(workshop, canvas, client_as):
    # Joined before the join form dropped a typed "(guest)".
    guest = Guest.objects.create(workshop=workshop, display_name="Bea (guest)")
    add_channel_note(canvas, "Old habit", guest=guest)
    html = summary(client_as("viewer"), workshop)
    assert "Bea (guest)" in html and "(guest) (guest)" not in html
    assert "· Bea (guest)" in notes_section(html)


def test_a_guest_name_of_only_the_guest_suffix_is_refused(workshop):
    url = reverse("canvases:workshop-join", args=[workshop.join_token])
    response = Client().post(url, {"display_name": " ( Guest ) "})
    assert response.status_code == 422
    assert "Tell the others your name" in response.content.decode()
    assert not Guest.objects.exists()


def test_the_summary_leaves_out_notes_still_hidden(workshop, canvas, editor, client_as):
    service.start_private_writing(workshop=workshop, actor=editor)
    client, _ = guest_client(workshop)
    client.post(note_create(canvas), {"text": "Still private"}, **HTMX)
    service.end(workshop=workshop, actor=editor)
    assert "Still private" not in summary(client_as("owner"), workshop)


# A canvas's past workshops


def list_url(canvas) -> str:
    return reverse("canvases:workshop-list", args=[canvas.pk])


@pytest.fixture
def two_workshops(canvas, owner, editor) -> list[Workshop]:
    first = service.start_workshop(canvas=canvas, facilitator=owner, title="Kick-off")
    guest_client(first, "Ann")
    guest_client(first, "Bob")
    service.end(workshop=first, actor=owner)
    second = service.start_workshop(canvas=canvas, facilitator=editor, title="Pricing")
    earlier = second.started_at - timedelta(days=40)
    Workshop.objects.filter(pk=first.pk).update(started_at=earlier)
    return [first, second]


def test_the_list_shows_each_workshop_newest_first_with_its_guests_and_summary(
    two_workshops, canvas, client_as
):
    first, second = two_workshops
    html = client_as("viewer").get(list_url(canvas)).content.decode()
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>.*?<td>(\d+)</td>", html, re.DOTALL)
    assert rows == [("Pricing", "0"), ("Kick-off", "2")]
    for each in (first, second):
        assert reverse("canvases:workshop-summary", args=[each.pk]) in html
    assert "running" in html and f"{first.started_at - timedelta(days=40):%Y}" in html


def test_the_list_says_when_there_is_none_and_htmx_gets_the_table(canvas, client_as):
    response = client_as("viewer").get(list_url(canvas), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="workshop-table">') and "<html" not in html
    assert "No workshop has been run on this canvas yet" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404),
     ("anonymous", "login"), ("guest", "login")],
)  # fmt: skip
def test_the_list_by_persona(two_workshops, canvas, client_as, persona, expected):
    running = two_workshops[1]
    client = guest_client(running)[0] if persona == "guest" else client_as(persona)
    response = client.get(list_url(canvas))
    assert outcome(response) == expected
    assert ("Kick-off" in response.content.decode()) == (expected == 200)


def test_the_list_is_read_only(canvas, client_as):
    assert client_as("owner").post(list_url(canvas)).status_code == 405


def test_the_canvas_page_and_the_summary_link_to_the_list(workshop, canvas, client_as, editor):
    link = f'href="{list_url(canvas)}"'
    assert link in client_as("viewer").get(page_url(canvas)).content.decode()
    client, _ = guest_client(workshop)
    assert link not in client.get(page_url(canvas)).content.decode()
    service.end(workshop=workshop, actor=editor)
    assert link in summary(client_as("viewer"), workshop)
