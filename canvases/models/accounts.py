"""What an account keeps beside Django's user: which address was proven, and what the member
wants to be emailed about.

The address itself is the user's own `email` (Django's password reset and admin read it
there); migration 0009 makes it unique, ignoring case, with an index on auth_user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Account(models.Model):
    """Settings of one member's account; a member without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    # The address a verification link proved. The account's address is verified while it is
    # this one: changing the address leaves it unverified, without a flag to keep in step.
    verified_email = models.EmailField(blank=True)
    mention_emails = models.BooleanField(
        "Email me when someone mentions me",
        default=True,
    )

    def __str__(self) -> str:
        return f"Account of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("canvases:account-email")

    @property
    def email_verified(self) -> bool:
        email = self.user.email
        return bool(email) and self.verified_email.casefold() == email.casefold()


def account_of(user) -> Account:
    """The member's account settings, unsaved defaults when they never changed any."""
    try:
        return user.account
    except Account.DoesNotExist:
        return Account(user=user)
