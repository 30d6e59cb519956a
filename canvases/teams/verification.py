"""Address verification links: signed, expiring, and bound to the address they were sent to.

The token carries the account's id and a keyed digest of the address (never the address
itself, which would end up in server logs), signed with a timestamp. It proves the address
only while the account still has that address: a link sent before a change verifies nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "canvases.teams.verification"


def _digest(email: str) -> str:
    return salted_hmac(SALT, email.casefold()).hexdigest()[:24]


def make_token(user) -> str:
    """A link token that verifies `user`'s current address."""
    return signing.dumps([user.pk, _digest(user.email)], salt=SALT, compress=True)


@dataclass(frozen=True)
class Proof:
    user: object  # the account the link was sent for
    email: str  # the address it proves: the account's current one


def check_token(token: str) -> Proof | None:
    """What a link proves, or None when it is forged, expired, or about another address."""
    try:
        user_id, digest = signing.loads(
            token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not constant_time_compare(digest, _digest(user.email)):
        return None
    return Proof(user=user, email=user.email)
