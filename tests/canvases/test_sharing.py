"""Share links: the owner's page, and what a holder (no account) may read: the canvas, its
segments and profiles and the PDF, read-only, without names unless allowed, and nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canvases import services
from canvases.models import ChangeRecord, ShareLink, share_token_hash
from canvases.sharing import services as sharing
from canvases.sharing.links import SESSION_KEY
from canvases.workshops import services as workshop_services
from segments import services as segment_services
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

OWNER_ONLY = {"owner": 200, "editor": 403, "viewer": 403, "outsider": 404, "anonymous": "login"}


def url(name, *args):
    return reverse(f"canvases:{name}", args=args)


def make_link(canvas, owner, **options):
    fields = {"label": "Investors", "expires_at": None, "show_member_names": False} | options
    return sharing.create_share_link(canvas=canvas, actor=owner, **fields)


def holder_of(token: str) -> Client:
    """A browser without an account that opened the link."""
    client = Client()
    response = client.get(url("share-open", token))
    assert response.status_code == 302
    return client


@pytest.fixture
def shared(canvas, owner):
    return make_link(canvas, owner)


@pytest.fixture
def holder(shared):
    return holder_of(shared.token)


# The owner's page


@pytest.mark.parametrize("persona", OWNER_ONLY)
@pytest.mark.parametrize("htmx", [False, True])
def test_the_share_page_is_the_owners(client_as, canvas, shared, persona, htmx):
    response = client_as(persona).get(url("share-list", canvas.pk), **(HTMX if htmx else {}))
    assert outcome(response) == OWNER_ONLY[persona]
    if persona == "owner":
        html = response.content.decode()
        assert "Investors" in html and "never" in html and "not yet" in html
        assert shared.token not in html  # shown once, at creation, never again


def test_the_share_page_says_what_to_do_when_there_is_no_link(client_as, canvas):
    html = client_as("owner").get(url("share-list", canvas.pk)).content.decode()
    assert "No share links yet" in html


@pytest.mark.parametrize("persona", OWNER_ONLY)
def test_making_a_link_by_persona(client_as, canvas, persona):
    body = {"label": "Mentor", "expires_on": "", "show_member_names": "on"}
    response = client_as(persona).post(url("share-create", canvas.pk), body)
    want = 303 if persona == "owner" else OWNER_ONLY[persona]
    assert outcome(response) == want
    assert ShareLink.objects.filter(canvas=canvas).count() == (1 if persona == "owner" else 0)


def test_a_new_link_is_shown_once_with_a_copy_button_and_only_its_hash_is_kept(client_as, canvas):
    client = client_as("owner")
    response = client.post(url("share-create", canvas.pk), {"label": "Mentor"}, **HTMX)
    assert response["HX-Redirect"].endswith("#new-link")
    html = client.get(url("share-list", canvas.pk)).content.decode()
    token = html.split("/s/")[1].split("/")[0]
    assert len(token) >= 22  # at least 128 random bits, url-safe
    assert 'data-copy="new-link-url"' in html and "Copy it now" in html
    link = ShareLink.objects.get()
    assert link.token_hash == share_token_hash(token) and token not in link.token_hash
    assert token not in client.get(url("share-list", canvas.pk)).content.decode()


def test_making_a_link_is_one_change_in_the_canvas_history(canvas, owner):
    before = ChangeRecord.objects.count()
    made = make_link(canvas, owner, label="Board", show_member_names=True)
    record = ChangeRecord.objects.first()
    assert ChangeRecord.objects.count() == before + 1
    assert (record.verb, record.target_id) == ("share.created", made.link.pk)
    assert "Board" in record.summary


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"expires_on": "2001-01-01"}, "Pick today or a later day"),
        ({"expires_on": "next week"}, "Give the date as YYYY-MM-DD"),
        ({"label": "x" * 81}, "Keep the label under 80 characters"),
    ],
)
def test_invalid_links_are_refused_with_a_message(client_as, canvas, body, message):
    response = client_as("owner").post(url("share-create", canvas.pk), body)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_an_expiry_date_lasts_to_the_end_of_that_day(client_as, canvas):
    day = timezone.localdate() + timedelta(days=3)
    client_as("owner").post(url("share-create", canvas.pk), {"expires_on": day.isoformat()})
    expires = timezone.localtime(ShareLink.objects.get().expires_at)
    assert (expires.date(), expires.hour) == (day + timedelta(days=1), 0)


def test_share_pages_take_only_their_methods(client_as, canvas, shared):
    client = client_as("owner")
    assert client.post(url("share-list", canvas.pk)).status_code == 405
    assert client.get(url("share-create", canvas.pk)).status_code == 405
    assert client.get(url("share-revoke", canvas.pk, shared.link.pk)).status_code == 405
    assert client.post(url("share-open", shared.token)).status_code == 405


@pytest.mark.parametrize("persona", OWNER_ONLY)
def test_revoking_a_link_by_persona(client_as, canvas, shared, persona):
    response = client_as(persona).post(url("share-revoke", canvas.pk, shared.link.pk))
    assert outcome(response) == (303 if persona == "owner" else OWNER_ONLY[persona])
    shared.link.refresh_from_db()
    assert (shared.link.revoked_at is not None) == (persona == "owner")


def test_revoking_records_once_and_a_second_revoke_changes_nothing(canvas, owner, shared):
    assert sharing.revoke_share_link(link=shared.link, actor=owner) is True
    assert ChangeRecord.objects.first().verb == "share.revoked"
    count = ChangeRecord.objects.count()
    assert sharing.revoke_share_link(link=shared.link, actor=owner) is False
    assert ChangeRecord.objects.count() == count


def test_another_canvases_link_is_not_found(client_as, team, canvas, owner, shared):
    other = services.create_canvas(team=team, title="Other", author=owner)
    response = client_as("owner").post(url("share-revoke", other.pk, shared.link.pk))
    assert response.status_code == 404


def test_the_canvas_page_offers_sharing_to_its_owner_only(client_as, canvas):
    share = url("share-list", canvas.pk)
    assert share in client_as("owner").get(url("canvas-detail", canvas.pk)).content.decode()
    assert share not in client_as("editor").get(url("canvas-detail", canvas.pk)).content.decode()


# What a holder reads


@pytest.fixture
def furnished(canvas, owner, editor):
    """A note by the editor, a segment with a profile entry."""
    block = canvas.blocks.get(kind="channels")
    services.add_note(block=block, text="Bike shops", author=editor)
    segment = segment_services.create_segment(canvas=canvas, name="Families", actor=owner)
    return segment


def test_a_holder_reads_the_canvas_read_only_and_out_of_search_engines(holder, canvas, furnished):
    response = holder.get(url("canvas-detail", canvas.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "Bike shops" in html and "Families" in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in html
    assert 'method="post"' not in html and "Add a note" not in html
    for hidden in ("canvas-history", "canvas-export", "workshop-list", "canvas-trash"):
        assert f'href="{url(hidden, canvas.pk)}"' not in html
    assert 'id="live"' not in html and 'id="presence-bar"' not in html
    assert url("export-pdf", canvas.pk) in html and "shared · read only" in html


def test_a_holder_reads_segment_and_profile_pages_read_only(holder, canvas, furnished):
    for name in ("segment-detail", "profile-detail"):
        response = holder.get(reverse(f"segments:{name}", args=[canvas.pk, furnished.pk]))
        html = response.content.decode()
        assert response.status_code == 200 and "Families" in html
        assert 'method="post"' not in html and 'id="live"' not in html
        assert response["X-Robots-Tag"].startswith("noindex")


def test_a_holder_refreshes_the_board_with_htmx(holder, canvas, furnished):
    response = holder.get(url("canvas-board", canvas.pk), **HTMX)
    assert response.status_code == 200 and "Bike shops" in response.content.decode()


def test_a_holder_downloads_the_pdf(holder, canvas, furnished):
    response = holder.get(url("export-pdf", canvas.pk), {"size": "a4"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_holder_meets_404_outside_their_canvas_and_on_every_write(
    holder, team, canvas, owner, note, furnished
):
    other = services.create_canvas(team=team, title="Secret plan", author=owner)
    reads = [
        url("canvas-detail", other.pk),
        reverse("segments:segment-detail", args=[other.pk, furnished.pk]),
        url("canvas-history", canvas.pk),
        url("canvas-export", canvas.pk),
        url("export-json", canvas.pk),
        url("note-edit", canvas.pk, note.pk),
        url("canvas-events", canvas.pk),
        url("presence-bar", canvas.pk),
        url("team-members", team.pk),
        url("canvas-list", team.pk),
        url("share-list", canvas.pk),
        "/",
    ]
    assert {read: holder.get(read).status_code for read in reads} == dict.fromkeys(reads, 404)
    writes = [
        url("note-create", canvas.pk, "channels"),
        url("canvas-detail", canvas.pk),
        url("canvas-edit", canvas.pk),
        url("share-create", canvas.pk),
        reverse("segments:segment-create", args=[canvas.pk]),
    ]
    answers = {
        write: holder.post(write, {"text": "Spam", "title": "x"}).status_code for write in writes
    }
    assert answers == dict.fromkeys(writes, 404)
    assert not canvas.blocks.get(kind="channels").notes.filter(text="Spam").exists()


def test_a_holder_may_still_log_in(holder):
    assert holder.get(reverse("login")).status_code == 200


def test_no_member_names_unless_the_owner_allows(canvas, owner, editor, furnished):
    workshop_services.start_workshop(canvas=canvas, facilitator=owner)  # not anonymous
    services.add_note(block=canvas.blocks.get(kind="channels"), text="Cafés", author=editor)
    page = url("canvas-detail", canvas.pk)
    hidden = holder_of(make_link(canvas, owner).token).get(page).content.decode()
    assert "Cafés" in hidden
    assert "eddie" not in hidden and "olivia" not in hidden
    named = make_link(canvas, owner, show_member_names=True)
    shown = holder_of(named.token).get(page).content.decode()
    assert '<span class="note-author">eddie</span>' in shown and "by olivia" in shown


# Links that do not work


def test_a_wrong_token_is_not_found(db):
    response = Client().get(url("share-open", "not-a-real-token"))
    assert response.status_code == 404 and "does not work" in response.content.decode()


def test_an_expired_link_says_it_no_longer_works(canvas, owner):
    made = make_link(canvas, owner, expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(url("share-open", made.token))
    assert response.status_code == 410 and "no longer works" in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_revoking_stops_a_holder_on_their_next_request(holder, canvas, owner, shared):
    assert holder.get(url("canvas-detail", canvas.pk)).status_code == 200
    sharing.revoke_share_link(link=shared.link, actor=owner)
    response = holder.get(url("canvas-detail", canvas.pk))
    assert response.status_code == 410 and "no longer works" in response.content.decode()
    assert Client().get(url("share-open", shared.token)).status_code == 410


def test_a_canvas_in_the_trash_is_not_shared(holder, canvas, owner, shared):
    services.trash_canvas(canvas=canvas, actor=owner)
    assert holder.get(url("canvas-detail", canvas.pk)).status_code == 410
    assert Client().get(url("share-open", shared.token)).status_code == 410


# Who opens a link


def test_opening_a_link_notes_when_it_was_last_used(shared):
    holder_of(shared.token)
    shared.link.refresh_from_db()
    assert shared.link.last_used_at is not None


def test_a_member_opening_a_link_reads_as_a_member(client_as, canvas, shared):
    client = client_as("editor")
    response = client.get(url("share-open", shared.token))
    assert response["Location"] == url("canvas-detail", canvas.pk)
    assert SESSION_KEY not in client.session
    assert "Add a note" in client.get(response["Location"]).content.decode()


def test_a_logged_in_outsider_reads_through_a_link_and_writes_nothing(client_as, canvas, shared):
    client = client_as("outsider")
    client.get(url("share-open", shared.token))
    assert client.get(url("canvas-detail", canvas.pk)).status_code == 200
    response = client.post(url("note-create", canvas.pk, "channels"), {"text": "Spam"})
    assert response.status_code == 404


def test_a_holders_page_costs_a_fixed_number_of_queries(holder, canvas, furnished, settings):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        holder.get(url("canvas-detail", canvas.pk))
    for index in range(10):
        services.add_note(block=canvas.blocks.get(kind="channels"), text=f"N{index}", author=None)
    with CaptureQueriesContext(connection) as many:
        holder.get(url("canvas-detail", canvas.pk))
    assert len(many) == len(few)
