"""Addresses and what is mailed to them: sign-up, change, verification links, the unique
address, notify_by_email. Services are called directly; mail lands in Django's outbox."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import IntegrityError

from canvases.models import Account, account_of
from canvases.teams import accounts, verification
from canvases.teams.accounts import Verification
from canvases.teams.mail import notify_by_email

pytestmark = pytest.mark.django_db
SITE = "https://canvas.example.org/"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def token_in(message) -> str:
    return link_in(message).rstrip("/").rsplit("/", 1)[1]


def verified(user) -> bool:
    user.refresh_from_db()
    return Account.objects.get(user=user).email_verified


@pytest.fixture
def member(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return accounts.sign_up(
            username="mia", email="Mia@Example.org", password="a-long-pass-phrase", site=SITE
        )


def test_sign_up_mails_a_link_to_the_new_address(member):
    (message,) = mail.outbox
    assert message.to == ["Mia@example.org"]
    assert link_in(message).startswith("https://canvas.example.org/accounts/email/verify/")
    assert "Mia@Example.org" not in link_in(message)  # the address stays out of server logs
    assert not verified(member)


def test_the_link_verifies_the_address(member):
    proof = verification.check_token(token_in(mail.outbox[0]))
    assert proof.user == member and proof.email == "Mia@example.org"
    assert accounts.confirm_email(proof=proof) is True
    assert verified(member)
    assert accounts.confirm_email(proof=proof) is False  # twice changes nothing


def test_a_link_sent_before_a_change_of_address_verifies_nothing(member):
    token = token_in(mail.outbox[0])
    accounts.change_email(user=member, email="mia@elsewhere.org", site=SITE)
    assert verification.check_token(token) is None


def test_an_expired_or_forged_link_verifies_nothing(member, settings):
    token = token_in(mail.outbox[0])
    assert verification.check_token(token[:-2] + "xx") is None
    assert verification.check_token("not-a-token") is None
    settings.EMAIL_VERIFICATION_SECONDS = -1
    assert verification.check_token(token) is None


def test_a_link_signed_for_something_else_verifies_nothing(member):
    other = signing.dumps([member.pk, "digest"], salt="another.purpose")
    assert verification.check_token(other) is None


def test_changing_the_address_asks_to_verify_it_again(member, django_capture_on_commit_callbacks):
    accounts.confirm_email(proof=verification.check_token(token_in(mail.outbox[0])))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = accounts.change_email(user=member, email="mia@new.example.org", site=SITE)
    assert outcome is Verification.SENT
    assert mail.outbox[-1].to == ["mia@new.example.org"]
    assert not verified(member)


def test_a_new_case_keeps_the_verification(member):
    accounts.confirm_email(proof=verification.check_token(token_in(mail.outbox[0])))
    assert accounts.change_email(user=member, email="mia@example.org", site=SITE) is (
        Verification.NOT_NEEDED
    )
    assert verified(member)


def test_the_same_address_changes_nothing_and_sends_nothing(member):
    assert accounts.change_email(user=member, email=member.email, site=SITE) is None
    assert len(mail.outbox) == 1


def test_removing_the_address(member):
    assert accounts.change_email(user=member, email="", site=SITE) is Verification.NOT_NEEDED
    member.refresh_from_db()
    assert member.email == "" and not verified(member)


def test_links_are_limited_per_hour(member, settings, django_capture_on_commit_callbacks):
    settings.VERIFICATION_EMAILS_PER_HOUR = 2  # the sign-up's link was the first
    with django_capture_on_commit_callbacks(execute=True):
        first = accounts.resend_verification(user=member, site=SITE)
        second = accounts.resend_verification(user=member, site=SITE)
    assert (first, second) == (Verification.SENT, Verification.TOO_MANY)
    assert len(mail.outbox) == 2


def test_no_link_for_a_verified_address(member):
    accounts.confirm_email(proof=verification.check_token(token_in(mail.outbox[0])))
    assert accounts.resend_verification(user=member, site=SITE) is Verification.NOT_NEEDED


@pytest.mark.parametrize("address", ["mia@example.org", "MIA@EXAMPLE.ORG"])
def test_the_database_refuses_a_second_account_with_the_address(member, address):
    with pytest.raises(IntegrityError):
        accounts.sign_up(username="imposter", email=address, password="x-long-pass", site=SITE)
    assert not get_user_model().objects.filter(username="imposter").exists()


def test_any_number_of_accounts_may_have_no_address(owner, editor):
    assert owner.email == editor.email == ""


def test_a_rolled_back_sign_up_sends_nothing(member):
    mail.outbox.clear()
    with pytest.raises(IntegrityError):
        accounts.sign_up(username="mia", email="x@example.org", password="x-long-pass", site=SITE)
    assert mail.outbox == []


def test_mention_emails_are_on_until_turned_off(member):
    assert account_of(member).mention_emails is True
    assert accounts.set_mention_emails(user=member, on=False) is True
    assert accounts.set_mention_emails(user=member, on=False) is False
    member.refresh_from_db()
    assert account_of(member).mention_emails is False


class TestNotifyByEmail:
    @pytest.fixture
    def ready(self, member):
        accounts.confirm_email(proof=verification.check_token(token_in(mail.outbox[0])))
        mail.outbox.clear()
        member.refresh_from_db()
        return member

    def test_sends_to_a_verified_address(self, ready, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            assert notify_by_email(ready, "Eddie mentioned you\non a note", "Bikes") is True
        (message,) = mail.outbox
        assert message.to == ["Mia@example.org"] and message.body == "Bikes"
        assert message.subject == "Eddie mentioned you on a note"

    def test_not_before_the_address_is_verified(self, member):
        assert notify_by_email(member, "Hello", "Body") is False

    def test_not_without_an_address(self, owner):
        assert notify_by_email(owner, "Hello", "Body") is False

    def test_not_when_the_member_turned_them_off(self, ready):
        accounts.set_mention_emails(user=ready, on=False)
        ready.refresh_from_db()
        assert notify_by_email(ready, "Hello", "Body") is False

    def test_not_when_mail_is_off(self, ready, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        assert notify_by_email(ready, "Hello", "Body") is False

    def test_not_to_a_deactivated_account(self, ready):
        ready.is_active = False
        assert notify_by_email(ready, "Hello", "Body") is False

    def test_not_when_the_caller_rolls_back(self, ready, django_capture_on_commit_callbacks):
        from django.db import transaction

        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            assert notify_by_email(ready, "Hello", "Body") is True
            transaction.set_rollback(True)
        assert mail.outbox == []

    def test_a_failing_mail_server_is_logged_not_raised(
        self, ready, settings, django_capture_on_commit_callbacks, caplog
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
        with django_capture_on_commit_callbacks(execute=True):
            assert notify_by_email(ready, "Hello", "Body") is True
        assert "Could not send 'Hello'" in caplog.text


def test_a_new_address_has_its_domain_in_lower_case_like_at_sign_up(member):
    accounts.change_email(user=member, email="Mia@New.Example.ORG", site=SITE)
    member.refresh_from_db()
    assert member.email == "Mia@new.example.org"
