"""Who has a canvas open, and which note each of them is editing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from canvas_site.live import publish_on_commit
from canvases.models import Canvas, Note, Presence
from canvases.workshops.forms import GUEST_SUFFIX

WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; "_" and "." split words


@dataclass(frozen=True)
class Present:
    username: str  # a member's username, or a guest's display name
    initials: str
    is_me: bool
    editing_note_ids: list[int]
    is_guest: bool = False

    @property
    def label(self) -> str:
        """The name as the page shows it: a guest's says so, once."""
        return f"{self.username} (guest)" if self.is_guest else self.username


def _announce(canvas_id: int) -> None:
    publish_on_commit({"event": "presence", "canvas": canvas_id})


def join(*, canvas: Canvas, user, tab: str, guest=None) -> list[str]:
    """A page of the canvas opened (or reconnected), by a member or a guest. Past
    LIVE_STREAMS_PER_VIEWER pages of one person on one canvas, the oldest stop following it,
    in whichever process serves them: their tabs are returned and announced."""
    Presence.objects.update_or_create(
        canvas=canvas,
        tab=tab,
        defaults={"user": user, "guest": guest, "last_seen": timezone.now()},
    )
    mine = Presence.objects.filter(canvas=canvas, user=user, guest=guest).order_by("-pk")
    closed = list(mine.values_list("tab", flat=True)[settings.LIVE_STREAMS_PER_VIEWER :])
    if closed:
        Presence.objects.filter(canvas=canvas, tab__in=closed).delete()
        publish_on_commit({"event": "streamClosed", "canvas": canvas.pk, "tabs": closed})
    _announce(canvas.pk)
    return closed


def leave(*, canvas_id: int, tab: str) -> None:
    """A page of the canvas closed its event stream."""
    if Presence.objects.filter(canvas_id=canvas_id, tab=tab).delete()[0]:
        _announce(canvas_id)


def beat(*, canvas: Canvas, user, tab: str, editing: Note | None, guest=None) -> None:
    """A sign of life from a page, saying which note it is editing (if any)."""
    now = timezone.now()
    # Most beats change nothing but the time: one UPDATE, and nobody needs telling (a room of
    # a thousand pages sends fifty beats a second).
    same = Presence.objects.filter(canvas=canvas, tab=tab, editing_note=editing)
    if same.update(user=user, guest=guest, last_seen=now):
        return
    Presence.objects.update_or_create(
        canvas=canvas,
        tab=tab,
        defaults={
            "user": user,
            "guest": guest,
            "editing_note": editing,
            "last_seen": now,
        },
    )
    _announce(canvas.pk)


def present(canvas: Canvas, me, my_guest=None) -> list[Present]:
    """Everyone with the canvas open now, one entry per person (members and guests), me first."""
    cutoff = timezone.now() - settings.PRESENCE_TIMEOUT
    rows = Presence.objects.filter(canvas=canvas, last_seen__gte=cutoff).select_related(
        "user", "guest"
    )
    people: dict[tuple, Present] = {}
    for row in rows:
        if row.guest_id is not None and row.guest.revoked_at is not None:
            continue
        key = ("user", row.user_id) if row.user_id else ("guest", row.guest_id)
        name = row.user.get_username() if row.user_id else guest_name(row.guest.display_name)
        is_me = (row.user_id is not None and row.user_id == getattr(me, "pk", None)) or (
            my_guest is not None and row.guest_id == my_guest.pk
        )
        editing = [row.editing_note_id] if row.editing_note_id else []
        if key in people:
            editing = people[key].editing_note_ids + editing
        people[key] = Present(
            name, initials(name), is_me, editing, is_guest=row.guest_id is not None
        )
    return sorted(people.values(), key=lambda person: (not person.is_me, person.username))


def guest_name(display_name: str) -> str:
    """A guest's name without a "(guest)" they typed themselves (the page adds it once)."""
    return GUEST_SUFFIX.sub("", display_name).strip() or display_name


def initials(name: str) -> str:
    """Up to two letters (or digits) of a name's words: "Ann Lee" AL, "ann.lee" AL, "Ann" A;
    punctuation never ("Ann (guest)" is A, not "A(")."""
    words = WORD.findall(name)
    letters = "".join(word[0] for word in words[:2]) or name.strip()[:1] or "?"
    return letters.upper()
