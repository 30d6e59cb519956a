"""Who has a canvas open, and which note each of them is editing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from canvas_site.live import publish_on_commit

from .models import Canvas, Note, Presence


@dataclass(frozen=True)
class Present:
    username: str
    initials: str
    is_me: bool
    editing_note_ids: list[int]


def _announce(canvas_id: int) -> None:
    publish_on_commit({"event": "presence", "canvas": canvas_id})


def join(*, canvas: Canvas, user, tab: str) -> None:
    """A page of the canvas opened (or reconnected)."""
    Presence.objects.update_or_create(
        canvas=canvas, tab=tab, defaults={"user": user, "last_seen": timezone.now()}
    )
    _announce(canvas.pk)


def leave(*, canvas_id: int, tab: str) -> None:
    """A page of the canvas closed its event stream."""
    if Presence.objects.filter(canvas_id=canvas_id, tab=tab).delete()[0]:
        _announce(canvas_id)


def beat(*, canvas: Canvas, user, tab: str, editing: Note | None) -> None:
    """A sign of life from a page, saying which note it is editing (if any)."""
    row = Presence.objects.filter(canvas=canvas, tab=tab).first()
    changed = row is None or row.editing_note_id != (editing.pk if editing else None)
    Presence.objects.update_or_create(
        canvas=canvas,
        tab=tab,
        defaults={"user": user, "editing_note": editing, "last_seen": timezone.now()},
    )
    if changed:
        _announce(canvas.pk)


def present(canvas: Canvas, me) -> list[Present]:
    """Everyone with the canvas open now, one entry per person, me first."""
    cutoff = timezone.now() - settings.PRESENCE_TIMEOUT
    rows = (
        Presence.objects.filter(canvas=canvas, last_seen__gte=cutoff)
        .select_related("user")
        .order_by("user__username")
    )
    people: dict[int, Present] = {}
    for row in rows:
        editing = [row.editing_note_id] if row.editing_note_id else []
        if row.user_id in people:
            editing = people[row.user_id].editing_note_ids + editing
        name = row.user.get_username()
        people[row.user_id] = Present(name, initials(name), row.user_id == me.pk, editing)
    return sorted(people.values(), key=lambda person: (not person.is_me, person.username))


def initials(name: str) -> str:
    parts = [part for part in name.replace(".", " ").replace("_", " ").split() if part]
    letters = "".join(part[0] for part in parts[:2]) or name[:2]
    return letters.upper()
