"""Share links: create and revoke (owner actions on the canvas, each in its history), and the
note of a link's last use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from canvases.changes import quote, record_change
from canvases.models import Canvas, ShareLink, new_share_token, share_token_hash


@dataclass(frozen=True)
class NewShareLink:
    """A link just made, with its token: the one moment the token exists outside the link."""

    link: ShareLink
    token: str


def link_name(link: ShareLink) -> str:
    return f"the share link {quote(link.label)}" if link.label else "a share link"


@transaction.atomic
def create_share_link(
    *, canvas: Canvas, label: str, expires_at: datetime | None, show_member_names: bool, actor
) -> NewShareLink:
    """Make a read-only link to `canvas`; only the hash of its token is kept."""
    token = new_share_token()
    link = ShareLink.objects.create(
        canvas=canvas,
        token_hash=share_token_hash(token),
        label=label,
        expires_at=expires_at,
        show_member_names=show_member_names,
        created_by=actor,
    )
    record_change(
        canvas, actor=actor, verb="share.created", summary=f"created {link_name(link)}",
        target_id=link.pk, after={"label": label, "show_member_names": show_member_names,
                                  "expires_at": expires_at.isoformat() if expires_at else None},
    )  # fmt: skip
    return NewShareLink(link=link, token=token)


@transaction.atomic
def revoke_share_link(*, link: ShareLink, actor) -> bool:
    """Stop a link from working, at once; revoking a revoked link changes (and records) nothing."""
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        return False
    record_change(
        link.canvas, actor=actor, verb="share.revoked", summary=f"revoked {link_name(link)}",
        target_id=link.pk,
    )  # fmt: skip
    return True


def note_use(link: ShareLink) -> None:
    """Remember when the link was last opened (not a change to the canvas: no history)."""
    ShareLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
