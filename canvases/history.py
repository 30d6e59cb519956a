"""Recording changes: every write bumps the canvas revision, keeps a history row and tells
every open page of the canvas on commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from canvas_site.live import current_tab, publish_on_commit

from .models import POSTER_ORDER, Canvas, ChangeRecord, Note

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


@dataclass
class BlockDiff:
    kind: str
    label: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    moved: list[tuple[dict, dict]] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


def _order(notes: list[dict], kind: str, common: set[int]) -> list[int]:
    in_block = sorted(
        (n for n in notes if n["block"] == kind), key=lambda n: (n["position"], n["id"])
    )
    return [n["id"] for n in in_block if n["id"] in common]


def compare_contents(old: dict, new: dict) -> list[BlockDiff]:
    """Block by block: notes added, removed, changed (text or colour) and moved."""
    old_notes = {n["id"]: n for n in old["notes"]}
    new_notes = {n["id"]: n for n in new["notes"]}
    common = old_notes.keys() & new_notes.keys()
    diffs = []
    for kind in POSTER_ORDER:
        diff = BlockDiff(kind.value, kind.label)
        diff.added = [n for i, n in new_notes.items() if i not in old_notes and n["block"] == kind]
        diff.removed = [
            n for i, n in old_notes.items() if i not in new_notes and n["block"] == kind
        ]
        stayed = {i for i in common if old_notes[i]["block"] == kind == new_notes[i]["block"]}
        old_rank = {i: r for r, i in enumerate(_order(old["notes"], kind, stayed))}
        new_rank = {i: r for r, i in enumerate(_order(new["notes"], kind, stayed))}
        for i in sorted(common):
            before, after = old_notes[i], new_notes[i]
            if after["block"] != kind:
                continue
            if (before["text"], before["colour"]) != (after["text"], after["colour"]):
                diff.changed.append((before, after))
            if before["block"] != kind or old_rank.get(i) != new_rank.get(i):
                diff.moved.append((before, after))
        diffs.append(diff)
    return diffs
