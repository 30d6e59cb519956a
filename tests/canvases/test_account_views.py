"""The account's own pages: "Email and notifications", the verification link, sign-up's
address, and "Forgot your password?" (which never tells whether an address exists)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from canvases.models import Account, account_of
from canvases.teams import forms, verification
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db
EMAIL = reverse("canvases:account-email")
NOTIFICATIONS = reverse("canvases:account-notifications")
RESEND = reverse("canvases:email-verification-resend")
RESET = reverse("password_reset")
PASSWORD = "a-long-pass-phrase"


def verify_url(user) -> str:
    return reverse("canvases:email-verify", args=[verification.make_token(user)])


def give_address(user, email: str, *, verified: bool) -> None:
    user.email = email
    user.save(update_fields=["email"])
    Account.objects.update_or_create(user=user, defaults={"verified_email": email * verified})


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.parametrize("persona", ["owner", "editor", "viewer", "outsider"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_every_member_sees_their_own_settings(client_as, persona, headers):
    response = client_as(persona).get(EMAIL, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Email and notifications" in html and "You have no email address yet" in html


@pytest.mark.parametrize("url", [EMAIL, NOTIFICATIONS, RESEND])
def test_anonymous_is_sent_to_log_in(url):
    assert outcome(Client().post(url)) == "login"
    assert outcome(Client().get(EMAIL)) == "login"


@pytest.mark.parametrize(
    ("url", "method"),
    [(EMAIL, "put"), (NOTIFICATIONS, "get"), (RESEND, "get"), (RESET, "delete")],
)
def test_the_wrong_method_is_405(client_as, url, method):
    assert getattr(client_as("owner"), method)(url).status_code == 405


def test_the_menu_leads_to_the_settings(client_as):
    assert EMAIL in client_as("viewer").get(reverse("canvases:team-list")).content.decode()


def test_adding_an_address_sends_a_link(client_as, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("owner").post(EMAIL, {"email": "olivia@example.org"})
    assert (response.status_code, response["Location"]) == (303, EMAIL)
    assert mail.outbox[0].to == ["olivia@example.org"]
    owner.refresh_from_db()
    assert owner.email == "olivia@example.org"
    html = client_as("owner").get(EMAIL).content.decode()
    assert "not confirmed yet" in html and "Send the link again" in html


def test_htmx_change_redirects_the_whole_page(client_as):
    response = client_as("owner").post(EMAIL, {"email": "olivia@example.org"}, **HTMX)
    assert response["HX-Redirect"] == EMAIL


def test_an_invalid_address_is_422_with_a_message(client_as, owner):
    response = client_as("owner").post(EMAIL, {"email": "not an address"}, **HTMX)
    assert response.status_code == 422
    assert "Enter a valid email address" in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == ""


def test_another_accounts_address_is_422_whatever_its_case(client_as, editor, owner):
    give_address(editor, "eddie@example.org", verified=True)
    response = client_as("owner").post(EMAIL, {"email": "EDDIE@example.org"})
    assert response.status_code == 422
    assert forms.ADDRESS_TAKEN in response.content.decode()


def test_an_address_taken_meanwhile_is_422_not_500(client_as, editor, owner, monkeypatch):
    """The form's check passed, then the unique index refused: the same message."""
    give_address(editor, "eddie@example.org", verified=False)
    monkeypatch.setattr(forms, "address_taken", lambda email, **kwargs: False)
    response = client_as("owner").post(EMAIL, {"email": "eddie@example.org"})
    assert response.status_code == 422
    assert forms.ADDRESS_TAKEN in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == ""


def test_user_text_is_escaped(client_as, owner):
    give_address(owner, '"<b>x</b>"@example.org', verified=False)
    html = client_as("owner").get(EMAIL).content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_resend_is_limited(client_as, owner, settings, django_capture_on_commit_callbacks):
    give_address(owner, "olivia@example.org", verified=False)
    settings.VERIFICATION_EMAILS_PER_HOUR = 1
    client = client_as("owner")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESEND).status_code == 303
        client.post(RESEND)
    assert len(mail.outbox) == 1
    assert "Several links went out in the last hour" in client.get(EMAIL).content.decode()


def test_resend_for_a_verified_address_sends_nothing(client_as, owner):
    give_address(owner, "olivia@example.org", verified=True)
    client = client_as("owner")
    client.post(RESEND)
    assert mail.outbox == []
    assert "verified" in client.get(EMAIL).content.decode()


def test_mention_emails_turn_off_and_on(client_as, owner):
    client = client_as("owner")
    assert client.post(NOTIFICATIONS, {}).status_code == 303
    assert Account.objects.get(user=owner).mention_emails is False
    assert 'id="id_mention_emails">' in client.get(EMAIL).content.decode()  # unticked
    client.post(NOTIFICATIONS, {"mention_emails": "on"}, **HTMX)
    assert Account.objects.get(user=owner).mention_emails is True


class TestVerificationLink:
    def test_opening_it_confirms_nothing_yet(self, owner):
        give_address(owner, "olivia@example.org", verified=False)
        response = Client().get(verify_url(owner))
        assert response.status_code == 200
        assert "Confirm olivia@example.org" in response.content.decode()
        assert not account_of(owner).email_verified

    def test_the_button_confirms_even_without_logging_in(self, owner):
        give_address(owner, "olivia@example.org", verified=False)
        response = Client().post(verify_url(owner))
        assert (response.status_code, response["Location"]) == (303, reverse("login"))
        owner.refresh_from_db()
        assert account_of(owner).email_verified

    def test_logged_in_it_comes_back_to_the_settings(self, owner, client_as):
        give_address(owner, "olivia@example.org", verified=False)
        client = client_as("owner")
        assert client.post(verify_url(owner), **HTMX)["HX-Redirect"] == EMAIL
        assert "badge--verified" in client.get(EMAIL).content.decode()

    def test_a_link_for_an_old_address_is_404(self, owner):
        give_address(owner, "olivia@example.org", verified=False)
        url = verify_url(owner)
        give_address(owner, "olivia@new.example.org", verified=False)
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 404
            assert "This link no longer works" in response.content.decode()
        assert not Account.objects.get(user=owner).email_verified

    def test_the_wrong_method_is_405(self, owner):
        give_address(owner, "olivia@example.org", verified=False)
        assert Client().put(verify_url(owner)).status_code == 405


class TestSignUp:
    def data(self, **changes) -> dict:
        return {"username": "newcomer", "email": "new@example.org", "password1": PASSWORD,
                "password2": PASSWORD, **changes}  # fmt: skip

    def test_an_address_is_required(self):
        response = Client().post(reverse("signup"), self.data(email=""))
        assert response.status_code == 422
        assert "Give an email address" in response.content.decode()

    def test_a_taken_address_is_422(self, owner):
        give_address(owner, "olivia@example.org", verified=False)
        response = Client().post(reverse("signup"), self.data(email="Olivia@Example.org"))
        assert response.status_code == 422
        assert forms.ADDRESS_TAKEN in response.content.decode()
        assert not get_user_model().objects.filter(username="newcomer").exists()

    def test_an_address_taken_meanwhile_is_422(self, owner, monkeypatch):
        give_address(owner, "olivia@example.org", verified=False)
        monkeypatch.setattr(forms, "address_taken", lambda email, **kwargs: False)
        response = Client().post(reverse("signup"), self.data(email="olivia@example.org"))
        assert response.status_code == 422
        assert "just taken" in response.content.decode()

    def test_it_mails_a_link_and_says_so(self, django_capture_on_commit_callbacks):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("signup"), self.data())
        assert mail.outbox[0].to == ["new@example.org"]
        assert (
            "We sent a link to new@example.org"
            in client.get(reverse("canvases:team-list")).content.decode()
        )
        client.get(link_in(mail.outbox[0]))
        response = client.post(link_in(mail.outbox[0]))
        assert response["Location"] == EMAIL
        assert account_of(get_user_model().objects.get(username="newcomer")).email_verified


class TestPasswordReset:
    def ask(self, email: str):
        return Client().post(RESET, {"email": email})

    def test_the_login_page_links_to_it(self):
        assert RESET in Client().get(reverse("login")).content.decode()

    def test_a_verified_address_gets_a_link_that_sets_a_new_password(self, owner):
        give_address(owner, "olivia@example.org", verified=True)
        self.ask("OLIVIA@example.org")
        (message,) = mail.outbox
        assert message.to == ["olivia@example.org"]
        client = Client()
        form_url = client.get(link_in(message))["Location"]  # the token moves to the session
        new = {"new_password1": "n3w-pass-phrase", "new_password2": "n3w-pass-phrase"}
        response = client.post(form_url, new)
        assert response["Location"] == reverse("password_reset_complete")
        owner.refresh_from_db()
        assert owner.check_password("n3w-pass-phrase")
        assert "no longer works" in Client().get(link_in(message), follow=True).content.decode()

    def test_an_invalid_new_password_is_shown_with_the_reason(self, owner):
        give_address(owner, "olivia@example.org", verified=True)
        self.ask("olivia@example.org")
        client = Client()
        form_url = client.get(link_in(mail.outbox[0]))["Location"]
        response = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
        assert response.status_code == 422
        assert "too short" in response.content.decode()

    @pytest.mark.parametrize("verified", [True, False])
    def test_the_answer_never_says_whether_the_address_exists(self, owner, verified):
        give_address(owner, "olivia@example.org", verified=verified)
        known, unknown = self.ask("olivia@example.org"), self.ask("nobody@example.org")
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        page = Client().get(known["Location"]).content.decode()
        assert "If an account has this address" in page
        assert len(mail.outbox) == int(verified)  # unconfirmed addresses get no reset link

    def test_links_per_address_are_limited_silently(self, owner, settings):
        give_address(owner, "olivia@example.org", verified=True)
        settings.PASSWORD_RESETS_PER_HOUR = 2
        answers = {self.ask("olivia@example.org")["Location"] for _ in range(4)}
        assert answers == {reverse("password_reset_done")}
        assert len(mail.outbox) == 2

    def test_an_invalid_address_is_shown_with_the_reason(self):
        response = Client().post(RESET, {"email": "nope"})
        assert response.status_code == 422
        assert "Enter a valid email address" in response.content.decode()

    def test_a_forged_link_says_it_no_longer_works(self, owner):
        url = reverse("password_reset_confirm", args=["MQ", "abc-def"])
        assert "This link no longer works" in Client().get(url).content.decode()
