"""The write funnel: every change bumps the canvas revision, keeps one history record with
the state before and after, and tells every open page of the canvas on commit."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from canvas_site.live import current_tab, publish_on_commit

from .models import Canvas, ChangeRecord, Note

# Which page event each kind of change sends (the verb's first word).
EVENTS = {
    "note": "notesChanged",
    "canvas": "canvasChanged",
    "version": "canvasChanged",
    "change": "canvasChanged",
    "segment": "segmentsChanged",
    "profile": "profileChanged",
}


def note_state(note: Note) -> dict:
    """What history keeps of a note: enough to compare, undo and restore it."""
    return {
        "id": note.pk,
        "text": note.text,
        "colour": note.colour,
        "block": note.block.kind,
        "position": note.position,
        "version": note.version,
        "deleted": note.deleted_at is not None,
    }


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
) -> ChangeRecord:
    """Bump the revision, keep a history row, and publish the live event on commit.

    `note_id` names the note a change is about: while that note is hidden by private writing,
    the history shows the change to its author only (see `hidden_from`)."""
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
        "event": EVENTS.get(verb.split(".")[0], "canvasChanged"),
        "canvas": canvas.pk,
        "revision": canvas.revision,
        "tab": current_tab.get(),
    }
    if blocks:
        event["blocks"] = sorted(set(blocks))
    if segment_id:
        event["segment"] = segment_id
    publish_on_commit(event)
    return record


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"
