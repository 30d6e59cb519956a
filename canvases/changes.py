"""The write funnel: every change bumps the canvas revision, keeps one history record with
the state before and after, and tells every open page of the canvas on commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from canvas_site.live import current_tab, publish_on_commit

from . import registry
from .models import Canvas, ChangeRecord, Note

# Which page event each kind of change sends (the verb's first word); extensions add theirs.
EVENTS = {
    "note": "notesChanged",
    "canvas": "canvasChanged",
    "version": "canvasChanged",
    "change": "canvasChanged",
    "workshop": "workshopChanged",
    # A comment changes a card's badge: the note lists refresh (or are pushed) as for notes.
    "comment": "notesChanged",
}


def event_names() -> list[str]:
    """Every page event a change can send, canvases' and the extensions' (pages listen to all)."""
    names = [
        *EVENTS.values(),
        *(e for ext in registry.extensions() for e in ext.live_events.values()),
    ]
    return list(dict.fromkeys(names))


# Verbs whose event is not their kind's.
VERB_EVENTS = {"workshop.ended": "workshopEnded"}


def event_of(verb: str) -> str:
    if verb in VERB_EVENTS:
        return VERB_EVENTS[verb]
    kind = verb.split(".")[0]
    for extension in registry.extensions():
        if kind in extension.live_events:
            return extension.live_events[kind]
    return EVENTS.get(kind, "canvasChanged")


def note_state(note: Note, *, proposed: dict | None = None) -> dict:
    """What history keeps of a note: enough to compare, undo and restore it, with what the
    registered extensions keep of it (a note's segments), or would keep once `proposed`
    values of their editor fields are saved."""
    state = {
        "id": note.pk,
        "text": note.text,
        "colour": note.colour,
        "block": note.block.kind,
        "position": note.position,
        "version": note.version,
        "deleted": note.deleted_at is not None,
    }
    for extension in registry.extensions():
        state.update(extension.note_state(note, proposed=proposed or {}))
    return state


@dataclass
class Fold:
    """What the services called inside one compound action changed."""

    blocks: set[str] = field(default_factory=set)
    count: int = 0


_fold: ContextVar[Fold | None] = ContextVar("fold", default=None)


@contextmanager
def folded() -> Iterator[Fold]:
    """One user action made of several services (an undo moves and restores a note): what they
    change is recorded once, by the caller, with the blocks and count collected here."""
    token = _fold.set(Fold())
    try:
        yield _fold.get()
    finally:
        _fold.reset(token)


def record_change(
    canvas: Canvas,
    *,
    actor,
    verb: str,
    summary: str,
    target_id: int | None = None,
    note_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    blocks: list[str] | tuple[str, ...] = (),
    segment_id: int | None = None,
    notes_unchanged: bool = False,
    note: Note | None = None,
    thread: str = "",
    event_name: str = "",
) -> ChangeRecord:
    """Bump the revision, keep a history row, and publish the live event on commit.

    `note_id` names the note a change is about: while that note is hidden by private writing,
    the history shows the change to its author only (see `hidden_from`). Inside `folded()`,
    nothing is written: the outer action records the one change (and returns None here).
    `notes_unchanged`: no page shows its notes differently after it (a workshop's timer), so
    pages refresh what the event names and not their note lists. A change to a `note` that
    private writing hides changes only its writer's pages: the event says whose (`only`).
    `thread` ("note-12") names the comment thread a change is about, so that pages showing
    it refresh it; `event_name` replaces the verb's event (a comment on a segment)."""
    fold = _fold.get()
    if fold is not None:
        fold.blocks.update(blocks)
        fold.count += 1
        return None
    now = timezone.now()
    Canvas.objects.filter(pk=canvas.pk).update(
        revision=F("revision") + 1, updated_at=now, updated_by=actor
    )
    canvas.refresh_from_db(fields=["revision"])
    canvas.updated_at, canvas.updated_by = now, actor
    record = ChangeRecord.objects.create(
        canvas=canvas,
        revision=canvas.revision,
        actor=actor,
        at=now,
        verb=verb,
        summary=summary[:300],
        target_id=target_id if target_id is not None else note_id,
        note_id=note_id,
        before=before,
        after=after,
    )
    event = {
        "event": event_name or event_of(verb),
        "canvas": canvas.pk,
        "revision": canvas.revision,
        "tab": current_tab.get(),
    }
    if blocks:
        event["blocks"] = sorted(set(blocks))
    if segment_id:
        event["segment"] = segment_id
    if thread:
        event["thread"] = thread
    if notes_unchanged:
        event["notes"] = False
    if verb == "note.added" and note is not None:
        event["added"] = note.pk  # pages append its card (canvases.live.push)
    if note is not None and note.hidden:
        event["only"] = writer_token(canvas.pk, user_id=note.author_id, guest_id=note.guest_id)
    publish_on_commit(event)
    return record


def writer_token(canvas_id: int, *, user_id: int | None, guest_id: int | None) -> str:
    """Who wrote a privately written note, as the events say it and only that person's pages
    can recognise it (their page carries their own token): every page hears every event, and
    even in an anonymous workshop nobody learns who is writing."""
    writer = f"guest:{guest_id}" if guest_id else f"user:{user_id}"
    return salted_hmac("canvases.private-writer", f"{canvas_id}:{writer}").hexdigest()[:20]


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"
