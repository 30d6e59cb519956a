"""History: undo one's own last change, keep named versions, restore or copy them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from canvases.changes import folded, note_state, quote, record_change
from canvases.models import EVERYONE, Canvas, CanvasVersion, ChangeRecord, Note, Viewer
from canvases.services import (
    compact_positions,
    create_canvas,
    lock_blocks,
    move_note,
    restore_note,
    restore_note_state,
    trash_note,
    update_canvas,
)

User = AbstractBaseUser


class UndoError(Exception):
    """The change cannot be undone (anymore)."""


UNDOABLE = {
    "note.added",
    "note.edited",
    "note.recoloured",
    "note.moved",
    "note.deleted",
    "note.restored",
    "canvas.updated",
}


def last_own_change(canvas: Canvas, user: User) -> ChangeRecord | None:
    """The user's most recent change on the canvas, if it can still be undone."""
    record = canvas.changes.filter(actor=user).exclude(verb="change.undone").first()
    if record is None or record.undone_by_id or record.verb not in UNDOABLE:
        return None
    return record


@transaction.atomic
def undo_change(*, record: ChangeRecord, actor: User) -> ChangeRecord:
    """Put back what one change altered, as one new change (history never loses anything)."""
    record = ChangeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_by_id:
        raise UndoError("That change was already undone.")
    canvas = Canvas.objects.get(pk=record.canvas_id)
    before = record.before or {}
    note = None
    with folded() as inner:
        if record.verb == "canvas.updated":
            state = {"title": canvas.title, "description": canvas.description}
            update_canvas(
                canvas=canvas, title=before["title"], description=before["description"], actor=actor
            )
            now = {"title": canvas.title, "description": canvas.description}
        else:
            note = note_to_undo(record)
            state = note_state(note)
            undo_note_change(note, record, before, actor)
            now = note_state(note)
    if not inner.count:
        raise UndoError("Nothing to undo: it is already as it was before that change.")
    undo = record_change(
        canvas,
        actor=actor,
        verb="change.undone",
        summary=f"undid: {record.summary}",
        note_id=record.note_id,
        before=state,
        after=now,
        blocks=sorted(inner.blocks),
    )
    record.undone_by = undo
    record.save(update_fields=["undone_by"])
    return undo


def note_to_undo(record: ChangeRecord) -> Note:
    note = Note.objects.select_related("block__canvas").filter(pk=record.target_id).first()
    if note is None:
        raise UndoError("The note is gone for good: it was purged from the trash.")
    return note


def undo_note_change(note: Note, record: ChangeRecord, before: dict, actor: User) -> None:
    verb = record.verb
    if verb in ("note.added", "note.restored"):
        if note.deleted_at is None:
            trash_note(note=note, actor=actor)
    elif verb == "note.deleted":
        if note.deleted_at is not None:
            restore_note(note=note, actor=actor)
            move_note(note=note, to_block=note.block, position=before.get("index", 0), actor=actor)
    elif note.deleted_at is not None:
        raise UndoError("The note was deleted since: restore it first.")
    elif verb in ("note.edited", "note.recoloured", "note.linked"):
        if verb == "note.edited" and note.version != (record.after or {}).get("version"):
            raise UndoError("Someone changed the note since: undo would overwrite their edit.")
        restore_note_state(note=note, state=before, actor=actor)
    elif verb == "note.moved":
        block = note.block.canvas.blocks.get(kind=before["block"])
        move_note(note=note, to_block=block, position=before.get("index", 0), actor=actor)


def canvas_content(canvas: Canvas) -> dict:
    """What a named version keeps: title, description and every live note, with who wrote
    it and whether private writing hid it (read it through `readable_content`)."""
    notes = (
        Note.objects.alive().of_canvas(canvas).select_related("block").order_by("position", "pk")
    )
    return {
        "title": canvas.title,
        "description": canvas.description,
        "notes": [
            {
                "id": note.pk,
                "block": note.block.kind,
                "text": note.text,
                "colour": note.colour,
                "position": note.position,
                "hidden": note.hidden,
                "author": note.author_id,
                "guest": note.guest_id,
            }
            for note in notes
        ],
    }


def readable_content(content: dict, canvas: Canvas, viewer: Viewer) -> dict:
    """A version's content as `viewer` may read it: without the notes still hidden from them
    (and without notes that were hidden when kept and are gone for good since)."""
    notes = Note.objects.of_canvas(canvas)
    still_there = set(notes.values_list("pk", flat=True))
    hidden_now = set(notes.hidden_from(viewer).values_list("pk", flat=True))

    def readable(item: dict) -> bool:
        if item["id"] in still_there:
            return item["id"] not in hidden_now
        author = {"author_id": item.get("author"), "guest_id": item.get("guest")}
        return not item.get("hidden", False) or viewer.is_author(**author)

    return {**content, "notes": [item for item in content["notes"] if readable(item)]}


@transaction.atomic
def save_version(*, canvas: Canvas, name: str, comment: str, actor: User) -> CanvasVersion:
    """Keep the canvas as it is now under a name."""
    version = CanvasVersion.objects.create(
        canvas=canvas,
        name=name,
        comment=comment,
        revision=canvas.revision,
        content=canvas_content(canvas),
        created_by=actor,
    )
    record_change(
        canvas, actor=actor, verb="version.saved", summary=f"saved the version {quote(name)}"
    )
    return version


@transaction.atomic
def restore_version(*, version: CanvasVersion, actor: User) -> None:
    """Make the canvas look like the version again, in place, as one recorded change."""
    canvas = version.canvas
    wanted = {item["id"]: item for item in version.content["notes"]}
    blocks = {block.kind: block for block in canvas.blocks.all()}
    lock_blocks(*blocks.values())
    now = timezone.now()
    current = {note.pk: note for note in Note.objects.of_canvas(canvas).select_for_update()}
    gone = [pk for pk, note in current.items() if pk not in wanted and note.deleted_at is None]
    Note.objects.filter(pk__in=gone).update(deleted_at=now, deleted_by=actor)
    for pk, item in wanted.items():
        fields = {
            "block": blocks[item["block"]],
            "text": item["text"],
            "colour": item["colour"],
            "position": item["position"],
        }
        note = current.get(pk)
        if note is None:  # purged from the trash since: bring it back as a new note
            if item.get("hidden"):  # still nobody's to read until the facilitator reveals it
                Note.objects.create(author=None, hidden=True, **fields)
            else:
                Note.objects.create(author=actor, **fields)
            continue
        changed_text = note.text != item["text"]
        for name, value in fields.items():
            setattr(note, name, value)
        note.deleted_at, note.deleted_by = None, None
        note.version += 1 if changed_text else 0
        note.save()
    compact_positions(canvas)
    Canvas.objects.filter(pk=canvas.pk).update(
        title=version.content["title"], description=version.content["description"]
    )
    record_change(
        canvas,
        actor=actor,
        verb="version.restored",
        summary=f"restored the version {quote(version.name)}",
        blocks=list(blocks),
    )


@transaction.atomic
def copy_version(*, version: CanvasVersion, actor: User) -> Canvas:
    """A new canvas in the same team that starts as the version (without what private
    writing still hides: a copy shows its notes to everyone)."""
    content = readable_content(version.content, version.canvas, EVERYONE)
    copy = create_canvas(
        team=version.canvas.team,
        title=f"{content['title']} ({version.name})"[:200],
        description=content["description"],
        author=actor,
    )
    blocks = {block.kind: block for block in copy.blocks.all()}
    Note.objects.bulk_create(
        Note(
            block=blocks[item["block"]],
            text=item["text"],
            colour=item["colour"],
            position=item["position"],
            author=actor,
        )
        for item in content["notes"]
    )
    compact_positions(copy)
    record_change(
        copy,
        actor=actor,
        verb="canvas.imported",
        summary=f"started the canvas from the version {quote(version.name)}",
    )
    return copy
