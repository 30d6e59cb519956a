"""Every write to teams, canvases and notes goes through here, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import registry
from .changes import note_state, quote, record_change
from .models import (
    Block,
    BlockKind,
    Canvas,
    Guest,
    Note,
    NoteColour,
    Team,
    Workshop,
    trash_cutoff,
)

User = AbstractBaseUser


class NoteConflict(Exception):
    """The note changed (or was deleted) since the version the editor started from."""

    def __init__(self, current: Note | None):
        super().__init__("The note was changed by someone else.")
        self.current = current


# Canvases


def _create_blocks(canvas: Canvas) -> None:
    Block.objects.bulk_create(Block(canvas=canvas, kind=kind) for kind in BlockKind.values)


@transaction.atomic
def create_canvas(*, team: Team, title: str, description: str = "", author: User) -> Canvas:
    """Start an empty canvas with its nine blocks."""
    canvas = Canvas.objects.create(
        team=team, title=title, description=description, created_by=author, updated_by=author
    )
    _create_blocks(canvas)
    return canvas


@transaction.atomic
def update_canvas(
    *,
    canvas: Canvas,
    title: str,
    description: str,
    actor: User,
    currency: str | None = None,
    focus_segment_count: int | None = None,
) -> Canvas:
    """Rename a canvas or change its description and settings (nothing new, nothing recorded)."""
    fields = ["title", "description", "currency", "focus_segment_count"]
    before = Canvas.objects.values(*fields).get(pk=canvas.pk)
    after = {
        "title": title,
        "description": description,
        "currency": currency or before["currency"],
        "focus_segment_count": focus_segment_count or before["focus_segment_count"],
    }
    for name, value in after.items():
        setattr(canvas, name, value)
    if after == before:
        return canvas
    canvas.save(update_fields=fields)
    record_change(
        canvas,
        actor=actor,
        verb="canvas.updated",
        summary=f"changed the canvas's title or settings ({quote(title)})",
        before=before,
        after=after,
    )
    return canvas


@transaction.atomic
def trash_canvas(*, canvas: Canvas, actor: User) -> None:
    """Move a canvas to the team's trash, where it can be restored until it is purged; open
    pages of it hear so."""
    Canvas.objects.filter(pk=canvas.pk).update(deleted_at=timezone.now(), deleted_by=actor)
    record_change(
        canvas, actor=actor, verb="canvas.trashed", summary="moved the canvas to the trash"
    )


@transaction.atomic
def restore_canvas(*, canvas: Canvas, actor: User) -> None:
    """Bring a canvas back from the trash."""
    Canvas.objects.filter(pk=canvas.pk).update(deleted_at=None, deleted_by=None)
    record_change(canvas, actor=actor, verb="canvas.restored", summary="restored the canvas")


@dataclass(frozen=True)
class PurgeResult:
    canvases: int
    notes: int


@transaction.atomic
def purge_trash(*, older_than=None) -> PurgeResult:
    """Delete for good what has been in a trash longer than the retention period."""
    cutoff = older_than or trash_cutoff()
    notes, _ = Note.objects.filter(deleted_at__lt=cutoff).delete()
    old_canvases = Canvas.objects.filter(deleted_at__lt=cutoff)
    canvas_count = old_canvases.count()
    old_canvases.delete()
    return PurgeResult(canvases=canvas_count, notes=notes)


# Notes


@transaction.atomic
def add_note(
    *,
    block: Block,
    text: str,
    author: User | None,
    colour: str = NoteColour.YELLOW,
    guest: Guest | None = None,
) -> Note:
    """Append a note to a block (hidden from others while a workshop's private writing is on)."""
    lock_blocks(block)
    workshop = Workshop.objects.running().filter(canvas_id=block.canvas_id).first()
    note = Note.objects.create(
        block=block,
        text=text,
        colour=colour,
        author=author,
        guest=guest,
        hidden=bool(workshop and workshop.private_writing),
        position=block.next_position(),
    )
    who = ""
    if guest is not None:
        who = "a guest " if workshop and workshop.anonymous else f"{guest.display_name} (guest) "
    record_change(
        block.canvas,
        actor=author,
        verb="note.added",
        summary=f"{who}added {quote(text)} to {block.get_kind_display()}",
        note_id=note.pk,
        after=note_state(note),
        blocks=[block.kind],
        note=note,
    )
    return note


@transaction.atomic
def edit_note(
    *,
    note: Note,
    text: str,
    version: int,
    actor: User | None,
    colour: str | None = None,
    fields: dict | None = None,
) -> Note:
    """Save what the note editor changed (text, colour, the extensions' fields such as its
    segments) as one change; nothing changed, nothing recorded. An edit made on an older
    version than the note's raises NoteConflict, unless it changes nothing."""
    current = Note.objects.select_for_update().select_related("block").filter(pk=note.pk).first()
    if current is None or current.deleted_at is not None:
        raise NoteConflict(None)  # someone deleted it: the caller keeps the draft
    current.block.canvas = note.block.canvas
    before = note_state(current)
    saved = (current.text, current.colour)
    current.text, current.colour = text, colour or current.colour
    fields = fields or {}
    if note_state(current, proposed=fields) == before:
        return current
    if current.version != version:
        current.text, current.colour = saved
        raise NoteConflict(current)  # someone saved first: both texts are shown
    current.version, current.updated_at = current.version + 1, timezone.now()
    current.save(update_fields=["text", "colour", "version", "updated_at"])
    for extension in registry.extensions():
        extension.save_note_fields(current, fields)
    after = note_state(current)
    record_change(
        current.block.canvas,
        actor=actor,
        verb="note.edited",
        summary=f"changed {quote(current.text)} in {current.block.get_kind_display()}"
        f" ({what_changed(before, after)})",
        note_id=current.pk,
        before=before,
        after=after,
        blocks=[current.block.kind],
        note=current,
    )
    return current


@transaction.atomic
def restore_note_state(*, note: Note, state: dict, actor: User | None) -> Note:
    """Give a note back the text, colour and extensions' parts that history kept of it."""
    fields = {}
    for extension in registry.extensions():
        fields.update(extension.fields_from_state(note, state))
    return edit_note(
        note=note,
        text=state.get("text", note.text),
        colour=state.get("colour"),
        version=note.version,
        fields=fields,
        actor=actor,
    )


def what_changed(before: dict, after: dict) -> str:
    """ "text, colour and segments": what differs between two states of a note."""
    changed = [key for key in after if key != "version" and before.get(key) != after[key]]
    return " and ".join([", ".join(changed[:-1]), changed[-1]] if len(changed) > 1 else changed)


@transaction.atomic
def move_note(
    *,
    note: Note,
    to_block: Block,
    position: int,
    actor: User,
    text: str | None = None,
    version: int | None = None,
) -> Note:
    """Put a note at `position` (0 = first) in `to_block`, which may be its own block, with
    the text of an open editor saved on the way (one change). Nowhere new, nothing recorded."""
    from_block = lock_note_and_blocks(note, to_block)
    before = {**note_state(note), "index": index_in_block(note)}
    new_text = text is not None and text != note.text
    if new_text and version != note.version:
        raise NoteConflict(Note.objects.get(pk=note.pk))
    siblings = [sibling for sibling in ordered_notes(to_block) if sibling.pk != note.pk]
    position = max(0, min(position, len(siblings)))
    if (to_block.pk, position) == (from_block.pk, before["index"]) and not new_text:
        return note
    if new_text:
        note.text, note.version, note.updated_at = text, note.version + 1, timezone.now()
        note.save(update_fields=["text", "version", "updated_at"])
    note.block = to_block
    siblings.insert(position, note)
    changed = renumber(siblings, always=note)
    if from_block.pk != to_block.pk:
        changed += renumber(ordered_notes(from_block, excluding=note))
    Note.objects.bulk_update(changed, ["position", "block"])
    after = {**note_state(note), "index": position}
    record_change(
        to_block.canvas,
        actor=actor,
        verb="note.moved",
        summary=f"moved {quote(note.text)} to {to_block.get_kind_display()}",
        note_id=note.pk,
        before=before,
        after=after,
        blocks=[from_block.kind, to_block.kind],
        note=note,
    )
    return note


def lock_blocks(*blocks: Block) -> None:
    """Lock the blocks' rows until the transaction ends: whoever adds, moves or removes notes
    in a block waits for the others, so positions stay unique and gapless (in pk order, so
    that two moves between the same blocks cannot deadlock)."""
    pks = sorted({block.pk for block in blocks})
    list(Block.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))


def lock_note_and_blocks(note: Note, to_block: Block) -> Block:
    """Lock the note's block and `to_block`, and bring `note` up to date: it cannot leave a
    locked block, but it may have moved (or gone) before we held the lock."""
    while True:
        block = Block.objects.get(notes=note)
        lock_blocks(block, to_block)
        note.refresh_from_db(fields=["block", "position", "deleted_at"])
        if note.deleted_at is not None:
            raise NoteConflict(None)
        if note.block_id == block.pk:
            note.block = block
            return block


def compact_positions(canvas: Canvas) -> None:
    """Positions 0, 1, 2… in every block of a canvas whose notes came from elsewhere (a file,
    a version, a copy), keeping their order."""
    for block in canvas.blocks.all():
        Note.objects.bulk_update(renumber(ordered_notes(block)), ["position"])


def ordered_notes(block: Block, *, excluding: Note | None = None) -> list[Note]:
    notes = block.notes.alive().order_by("position", "pk")
    return list(notes.exclude(pk=excluding.pk) if excluding else notes)


def renumber(notes: list[Note], *, always: Note | None = None) -> list[Note]:
    """Give the notes positions 0, 1, 2… in list order; the ones that changed (and `always`)."""
    changed = []
    for index, note in enumerate(notes):
        if note.position != index or note is always:
            note.position = index
            changed.append(note)
    return changed


def index_in_block(note: Note) -> int:
    """Where the note stands among its block's live notes (0 = first)."""
    before = Q(position__lt=note.position) | Q(position=note.position, pk__lt=note.pk)
    return note.block.notes.alive().filter(before).count()


@transaction.atomic
def trash_note(*, note: Note, actor: User) -> None:
    """Move a note to the canvas's trash (restorable); the notes after it move up."""
    lock_blocks(note.block)
    before = {**note_state(note), "index": index_in_block(note)}
    Note.objects.filter(pk=note.pk).update(deleted_at=timezone.now(), deleted_by=actor)
    note.deleted_at = timezone.now()
    Note.objects.bulk_update(renumber(ordered_notes(note.block)), ["position"])
    record_change(
        note.block.canvas,
        actor=actor,
        verb="note.deleted",
        summary=f"deleted {quote(note.text)} from {note.block.get_kind_display()}",
        note_id=note.pk,
        before=before,
        after=note_state(note),
        blocks=[note.block.kind],
        note=note,
    )


@transaction.atomic
def restore_note(*, note: Note, actor: User) -> Note:
    """Bring a note back from the trash, at the end of its block."""
    lock_blocks(note.block)
    note.deleted_at, note.deleted_by = None, None
    note.position = note.block.next_position()
    note.save(update_fields=["deleted_at", "deleted_by", "position"])
    record_change(
        note.block.canvas,
        actor=actor,
        verb="note.restored",
        summary=f"restored {quote(note.text)} in {note.block.get_kind_display()}",
        note_id=note.pk,
        after=note_state(note),
        blocks=[note.block.kind],
    )
    return note
