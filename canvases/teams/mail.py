"""Emails to members. A seam: the accounts work refines it (a verified address, a member's
choice to receive none); until then, an address on the account is enough."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def notify_by_email(user, subject: str, body: str) -> bool:
    """Send `user` a plain-text email if they have an address; True when one went out. A mail
    server that refuses is logged, never raised: the action that notifies already happened."""
    address = (getattr(user, "email", "") or "").strip()
    if not address:
        return False
    try:
        return send_mail(subject, body, None, [address]) == 1
    except OSError:
        logger.exception("Could not send an email to user %s", user.pk)
        return False
