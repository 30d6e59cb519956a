"""Email to members, through Django's mail framework (EMAIL_URL picks the backend).

Messages go out once the transaction that asked for them commits, so that a rolled-back
action sends nothing; a mail server that fails is logged, never an error for the action.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from canvases.models import account_of

from . import verification

logger = logging.getLogger(__name__)
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def email_configured() -> bool:
    """False when EMAIL_URL=dummy:// turned mail off."""
    return settings.EMAIL_BACKEND != NO_MAIL


def send_on_commit(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text message once the current transaction commits."""

    def send() -> None:
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # the action is done; a mail server's failure must not undo it
            logger.exception("Could not send %r", subject)

    transaction.on_commit(send)


def send_verification(*, user, site: str) -> None:
    """Mail `user` a link that verifies their current address (`site`: https://host)."""
    link = site.rstrip("/") + reverse("canvases:email-verify", args=[verification.make_token(user)])
    days = settings.EMAIL_VERIFICATION_SECONDS // 86400
    context = {"user": user, "link": link, "days": days}
    body = render_to_string("teams/email/verify_email.txt", context)
    send_on_commit(to=user.email, subject="Confirm your email address for Canvas", body=body)


def notify_by_email(user, subject: str, body: str) -> bool:
    """Email a member about something that concerns them (someone mentioned them), if they
    have a verified address, mail is configured, and they did not turn such emails off.

    True when the message will go (once the caller's transaction commits)."""
    account = account_of(user)
    if not (user.is_active and account.email_verified and account.mention_emails):
        return False
    if not email_configured():
        return False
    subject = " ".join(subject.splitlines())  # a header: a line break would start another
    send_on_commit(to=user.email, subject=subject, body=body)
    return True
