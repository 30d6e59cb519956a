"""Who has a canvas open, and which note each of them is editing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from canvas_site.live import publish_on_commit
from canvases.models import Canvas, Note, Presence


@dataclass(frozen=True)
class Present:
    username: str
    initials: str
    is_me: bool
    editing_note_ids: list[int]


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
    row = Presence.objects.filter(canvas=canvas, tab=tab).first()
    changed = row is None or row.editing_note_id != (editing.pk if editing else None)
    Presence.objects.update_or_create(
        canvas=canvas,
        tab=tab,
        defaults={
            "user": user,
            "guest": guest,
            "editing_note": editing,
            "last_seen": timezone.now(),
        },
    )
    if changed:
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
        name = row.user.get_username() if row.user_id else f"{row.guest.display_name} (guest)"
        is_me = (row.user_id is not None and row.user_id == getattr(me, "pk", None)) or (
            my_guest is not None and row.guest_id == my_guest.pk
        )
        editing = [row.editing_note_id] if row.editing_note_id else []
        if key in people:
            editing = people[key].editing_note_ids + editing
        people[key] = Present(name, initials(name), is_me, editing)
    return sorted(people.values(), key=lambda person: (not person.is_me, person.username))


def initials(name: str) -> str:
    parts = [part for part in name.replace(".", " ").replace("_", " ").split() if part]
    letters = "".join(part[0] for part in parts[:2]) or name[:2]
    return letters.upper()
