"""Accounts that recover, in a browser, with mail going through a real SMTP server started
here (aiosmtpd): sign up with an address, confirm it from the link that arrived, forget the
password, reset it from the link that arrived, and log in with the new one."""

from __future__ import annotations

import email
import queue
import re

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases.models import account_of
from tests.e2e.conftest import log_in
from tests.servers import ROOT, Server, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = ROOT / "var" / "shots"


class Inbox:
    """An aiosmtpd handler: every message the app sends lands in a queue."""

    def __init__(self):
        self.messages: queue.Queue = queue.Queue()

    async def handle_DATA(self, server, session, envelope):
        self.messages.put((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"

    def next(self) -> tuple[list[str], email.message.Message]:
        recipients, content = self.messages.get(timeout=10)  # waits for the app to send it
        return recipients, email.message_from_bytes(content)


def link_in(message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://\S+", body).group(0)


@pytest.fixture
def inbox() -> Inbox:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def server(transactional_db, inbox):
    """The app, sending mail by SMTP to the inbox (plain SMTP on the loopback)."""
    email_url = f"smtp://127.0.0.1:{inbox.port}"
    server = Server(env={"EMAIL_URL": email_url, "DEFAULT_FROM_EMAIL": "c@x.org"}).start()
    yield server
    server.stop()


def test_sign_up_confirm_forget_reset_log_in(page, inbox, server):
    page.goto(server.url + "/accounts/signup/")
    page.fill("#id_username", "mia")
    page.fill("#id_email", "mia@example.org")
    page.fill("#id_password1", "first-pass-phrase")
    page.fill("#id_password2", "first-pass-phrase")
    page.screenshot(path=str(SHOTS / "account-sign-up.png"), full_page=True)
    page.click("button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("We sent a link to mia@example.org")
    page.goto(server.url + "/accounts/email/")
    expect(page.locator(".badge")).to_have_text("not confirmed yet")
    page.screenshot(path=str(SHOTS / "account-email-unconfirmed.png"), full_page=True)

    recipients, message = inbox.next()
    assert recipients == ["mia@example.org"] and message["From"] == "c@x.org"
    page.goto(link_in(message))
    page.screenshot(path=str(SHOTS / "account-confirm.png"))
    page.get_by_role("button", name="Confirm mia@example.org").click()
    expect(page.locator(".badge--verified")).to_have_text("verified")
    page.screenshot(path=str(SHOTS / "account-email-verified.png"), full_page=True)
    assert account_of(get_user_model().objects.get(username="mia")).email_verified

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.fill("#id_email", "MIA@example.org")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Check your email")
    page.screenshot(path=str(SHOTS / "password-reset-sent.png"))

    recipients, message = inbox.next()
    assert recipients == ["mia@example.org"]
    assert message["Subject"] == "Choose a new password for Canvas"
    page.goto(link_in(message))
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.fill("#id_new_password1", "second-pass-phrase")
    page.fill("#id_new_password2", "second-pass-phrase")
    page.screenshot(path=str(SHOTS / "password-reset-new.png"))
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Your new password is set")

    log_in(page, server, "mia", "second-pass-phrase")
    expect(page.locator(".user-menu summary")).to_have_text("mia")
    page.goto(link_in(message))  # a reset link works once
    expect(page.locator("h1")).to_have_text("This link no longer works")
