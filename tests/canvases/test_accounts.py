"""Sign up, log in (with throttling), log out, change password."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_up_logs_in_and_asks_for_a_team():
    client = Client()
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    response = client.post(reverse("signup"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("canvases:team-list")
    assert client.get(reverse("canvases:team-list")).status_code == 200


def test_sign_up_with_mismatched_passwords_is_422():
    data = {"username": "x", "password1": "a-long-pass-phrase", "password2": "other-pass-phrase"}
    response = Client().post(reverse("signup"), data)
    assert response.status_code == 422
    assert not get_user_model().objects.filter(username="x").exists()


def test_log_in_and_out(owner):
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert response.status_code == 302
    assert client.get(reverse("canvases:team-list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("canvases:team-list")).status_code == 302


def test_wrong_password_shows_the_form_again(owner):
    response = Client().post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failed_logins_are_throttled(owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_change_password(client_as, owner):
    client = client_as("owner")
    data = {
        "old_password": "pw-olivia",
        "new_password1": "n3w-pass-phrase",
        "new_password2": "n3w-pass-phrase",
    }
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("n3w-pass-phrase")


def test_pages_are_styled_like_the_app():
    html = Client().get(reverse("login")).content.decode()
    assert "css/app.css" in html and "Log in" in html


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/join/abc/", "/join/abc/"),
        ("https://evil.example/", "/teams/"),
        ("//evil.example", "/teams/"),
    ],
)
def test_sign_up_follows_only_local_next_links(next_url, expected):
    data = {
        "username": "n",
        "email": "n@example.org",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    response = Client().post(reverse("signup") + "?next=" + next_url, data)
    assert response["Location"] == expected
