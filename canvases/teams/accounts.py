"""Accounts: sign up, the address and its verification, what a member wants emailed.

Every write in one transaction. An address is unique whatever its case: the database says so
(an index, migration 0009), so two sign-ups racing for one address cannot both succeed; the
loser gets IntegrityError, which the view turns into the form's message.
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction

from canvases import throttles
from canvases.models import Account

from . import mail
from .verification import Proof


class Verification(enum.Enum):
    SENT = "sent"  # a link is on its way
    TOO_MANY = "too many"  # the hourly limit is reached: nothing sent
    NOT_NEEDED = "not needed"  # no address, or it is verified already


def _account(user) -> Account:
    account, _ = Account.objects.get_or_create(user=user)
    return account


def _send_verification(user, site: str) -> Verification:
    """Send a link, within the member's hourly limit (counted in the shared throttle store)."""
    key = f"verification-email:{user.pk}"
    if throttles.over_limit(key, limit=settings.VERIFICATION_EMAILS_PER_HOUR, window=3600):
        return Verification.TOO_MANY
    mail.send_verification(user=user, site=site)
    return Verification.SENT


@transaction.atomic
def sign_up(*, username: str, email: str, password: str, site: str):
    """Create an account and mail a link that verifies its address."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Account.objects.create(user=user)
    _send_verification(user, site)
    return user


@transaction.atomic
def change_email(*, user, email: str, site: str) -> Verification | None:
    """Give the account another address (or none) and mail a link to verify it; None when
    the address is the same."""
    email = BaseUserManager.normalize_email(email)  # as at sign-up: the domain in lower case
    if email == user.email:
        return None
    account = _account(user)
    user.email = email
    user.save(update_fields=["email"])
    if account.verified_email.casefold() != email.casefold():  # a new case keeps the proof
        account.verified_email = ""
        account.save(update_fields=["verified_email"])
    if not email or account.email_verified:
        return Verification.NOT_NEEDED
    return _send_verification(user, site)


@transaction.atomic
def resend_verification(*, user, site: str) -> Verification:
    """Mail another verification link (the last one may be lost or expired)."""
    if not user.email or _account(user).email_verified:
        return Verification.NOT_NEEDED
    return _send_verification(user, site)


@transaction.atomic
def confirm_email(*, proof: Proof) -> bool:
    """Mark the address a link proved as verified; False when it already was."""
    account = _account(proof.user)
    if account.email_verified:
        return False
    account.verified_email = proof.email
    account.save(update_fields=["verified_email"])
    return True


@transaction.atomic
def set_mention_emails(*, user, on: bool) -> bool:
    """Turn "email me when someone mentions me" on or off; False when it already was so."""
    account = _account(user)
    if account.mention_emails == on:
        return False
    account.mention_emails = on
    account.save(update_fields=["mention_emails"])
    return True
