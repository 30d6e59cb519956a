"""Requests that carry NUL, and `next` values that lead off the site: a 400 or the default, never a
500.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from .inputs import HTMX, NUL, database, text_of, upload
from .urls import all_routes

pytestmark = pytest.mark.django_db


# 1. NUL characters: refused by one middleware before any view or query sees them


def assert_refused_for_nul(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "NUL character" in response.content.decode()


def test_nul_in_the_canvas_search_is_a_400(world):
    before = database()
    url = reverse("canvases:canvas-list", args=[world.team.pk])
    assert_refused_for_nul(world.client("owner").get(url, {"q": NUL}))
    assert_refused_for_nul(world.client("owner").get(url + "?q=cargo%00"))
    assert database() == before


@pytest.mark.parametrize("persona", ["anonymous", "editor", "outsider"])
def test_nul_in_an_invitation_link_is_a_400(world, persona):
    before = database()
    client = world.client(persona)
    assert_refused_for_nul(client.get("/join/%00/"))
    assert_refused_for_nul(client.post(f"/join/{world.invitation.token}%00/"))
    assert database() == before


def test_nul_in_a_workshop_link_is_a_400(world):
    before = database()
    client = world.client("anonymous")
    assert_refused_for_nul(client.get("/w/%00/"))
    assert_refused_for_nul(client.post("/w/%00/", {"display_name": "Grace"}))
    join = reverse("canvases:workshop-join", args=[world.workshop.join_token])
    assert_refused_for_nul(client.post(join, {"display_name": "Gr" + NUL + "ace"}))
    assert database() == before


def test_nul_in_the_session_cookie_is_a_400(world):
    """A quoted cookie may spell NUL as \\000; the session store would look it up."""
    client = world.client("anonymous", HTTP_COOKIE='sessionid="abcdefghij\\000klmnop"')
    assert_refused_for_nul(client.get(reverse("canvases:team-list")))


def test_a_stray_cookie_with_nul_locks_nobody_out(world):
    client = world.client("viewer")
    client.cookies["tracker"] = "a\x00b"
    assert client.get(reverse("canvases:team-list")).status_code == 200


def test_nul_in_a_note_is_a_400_and_no_note_is_saved(world):
    before = database()
    url = reverse("canvases:note-create", args=[world.canvas.pk, "channels"])
    response = world.client("editor").post(url, {"text": "Bike" + NUL + " shops"}, **HTMX)
    assert_refused_for_nul(response)
    assert database() == before


@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.name)
def test_every_route_refuses_nul_in_a_form_field_or_query_value(world, route):
    client = world.client("owner")
    url = route.url(world)
    before = database()
    assert_refused_for_nul(client.post(url, {"text": "a" + NUL, "name": "b", "title": "c"}))
    assert_refused_for_nul(client.post(url, {"name" + NUL: "b"}))
    assert_refused_for_nul(client.get(url, {"page": "1" + NUL}))
    assert database() == before


def test_a_file_upload_is_not_refused_for_nul_in_its_content(world):
    """Files are the importer's business: a NUL byte makes the file invalid JSON, a 422."""
    response = upload(world.client("editor"), world.team, b'{"format": "canvas-export\x00"}')
    assert response.status_code == 422
    assert "not valid JSON" in text_of(response)


# 8. `next` leads only to a path on this site


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:///evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_undo_does_not_redirect_off_site(client_as, canvas, note, target):
    url = reverse("canvases:change-undo", args=[canvas.pk])
    response = client_as("owner").post(url, {"next": target})
    assert response.status_code == 303
    assert response["Location"] == reverse("canvases:canvas-history", args=[canvas.pk])


def test_undo_follows_a_path_on_this_site(client_as, canvas, note):
    url = reverse("canvases:change-undo", args=[canvas.pk])
    here = reverse("canvases:canvas-detail", args=[canvas.pk]) + "#block-channels"
    response = client_as("owner").post(url, {"next": here})
    assert response.status_code == 303 and response["Location"] == here


@pytest.mark.parametrize("target", OFF_SITE)
def test_signup_does_not_redirect_off_site(db, target):
    from django.test import Client

    url = reverse("signup") + "?" + urlencode({"next": target})
    password = "a-long-unusual-passphrase-42"
    data = {"username": "newcomer", "email": "new@example.org", "password1": password,
            "password2": password}  # fmt: skip
    response = Client().post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("canvases:team-list")


def test_signup_follows_an_invitation_path(db):
    from django.test import Client

    url = reverse("signup") + "?next=/join/abc/"
    password = "a-long-unusual-passphrase-42"
    data = {"username": "newcomer", "email": "new@example.org", "password1": password,
            "password2": password}  # fmt: skip
    assert Client().post(url, data)["Location"] == "/join/abc/"
