"""`@username` in a comment: which of the team's members it names, the rows that bring the
comment to their inbox, and the email that tells them (never for a privately written note)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from canvases.models import Comment, Mention, Team
from canvases.teams import mail

from .access import comment_url

# What a username may hold (Django's default validator), after an @ that starts a word.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+[\w+-]|[\w])", re.UNICODE)


def mentioned_names(text: str) -> set[str]:
    """The usernames written as @name, lower-cased (usernames match without case)."""
    return {name.lower() for name in MENTION.findall(text)}


def team_members_named(team: Team, names: set[str]):
    """The team's members among `names`; anyone else (a non-member, a typo) is ignored."""
    if not names:
        return get_user_model().objects.none()
    username = get_user_model().USERNAME_FIELD
    return (
        get_user_model()
        .objects.filter(memberships__team=team)
        .annotate(lower_name=Lower(username))
        .filter(lower_name__in=names)
    )


def record_mentions(comment: Comment, team: Team, *, author_id: int | None) -> list:
    """A mention for each member the text names who was not mentioned in it before (an edit
    that adds a name notifies only that member); one's own name does nothing."""
    members = [
        user
        for user in team_members_named(team, mentioned_names(comment.text))
        if user.pk != author_id
    ]
    if not members:
        return []
    known = set(comment.mentions.values_list("user_id", flat=True))
    new = [user for user in members if user.pk not in known]
    # The unique constraint holds under parallel edits; a duplicate is simply skipped.
    Mention.objects.bulk_create(
        [Mention(comment=comment, user=user) for user in new], ignore_conflicts=True
    )
    return new


def email_on_commit(comment: Comment, members: list, *, where: str, hidden: bool) -> None:
    """Tell each newly mentioned member by email once the comment is saved. A comment on a
    privately written note stays in the inbox, unseen until the note is revealed: no email
    could keep that promise."""
    if hidden or not members:
        return
    author = comment.author_name
    link = settings.SITE_URL.rstrip("/") + comment_url(comment)
    subject = f"{author} mentioned you on {where}"
    body = f"{author} wrote:\n\n{comment.text}\n\nOpen it: {link}\n"

    def send() -> None:
        for member in members:
            mail.notify_by_email(member, subject[:150], body)

    transaction.on_commit(send)
