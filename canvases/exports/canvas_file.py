"""Canvas files: the JSON export and import (a documented, versioned format), and duplicates.

The JSON format ("canvas-export", version 2) holds everything in a canvas. Canvases write the
canvas and its notes, each with its comment thread (comments_file; version 2 added them, and
version 1 files still import); each registered file section (canvases.registry.FileSection; segments
add theirs) adds a top-level list and a field to every note. Objects refer to each other by
references local to the file ("n1", "s1", "p1", "e1"), never by database ids, so a file can
name nothing outside itself. Import validates the whole file first (unknown fields, wrong
version, unknown references, oversize text, required text that shows nothing, NUL in any
string, figures past the forms' limits, and nesting deeper than a canvas file, checked before
parsing, are refused with a message) and then creates the new canvas in one transaction:
nothing is half-saved. A duplicate is an import of the canvas's own export.
"""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import accumulate
from typing import Literal

from django.db import transaction
from pydantic import Field, ValidationError, create_model, field_validator

from canvases import registry, services
from canvases.changes import folded, quote, record_change
from canvases.models import (
    EVERYONE,
    NOTE_MAX_LENGTH,
    NOTE_TARGET,
    POSTER_ORDER,
    BlockKind,
    Canvas,
    Note,
    NoteColour,
    Team,
)

from .comments_file import NewThread, ThreadIn, create_threads, note_threads
from .file_types import Strict, Written, literal

FORMAT, VERSION = "canvas-export", 2
READABLE_VERSIONS = (1, 2)  # version 1 is version 2 without comment threads
MAX_FILE_BYTES = 5 * 1024 * 1024
# A canvas file nests 6 levels (file, notes, a note, its thread, its comments, a comment): a
# file nested much deeper is not one, and would exhaust the parser's recursion.
MAX_DEPTH = 20


class NoteBase(Strict):
    ref: str = Field(max_length=20)
    block: literal(BlockKind)
    text: Written = Field(max_length=NOTE_MAX_LENGTH)
    colour: literal(NoteColour) = "yellow"
    position: int = Field(ge=0, le=1_000_000)
    thread: ThreadIn | None = None


class CanvasIn(Strict):
    title: Written = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    focus_segment_count: int = Field(default=3, ge=1, le=20)


class FileBase(Strict):
    format: Literal["canvas-export"]
    version: int
    canvas: CanvasIn

    @field_validator("version")
    @classmethod
    def known_version(cls, value: int) -> int:
        if value not in READABLE_VERSIONS:
            raise ValueError(f"this app reads versions 1 and 2 of the format, not version {value}")
        return value


@cache
def document_model() -> type[FileBase]:
    """The file's model: canvases' own fields with every registered section's (built once the
    apps are ready, when the sections are known)."""
    sections = registry.file_sections()
    note_fields = {section.note_field: section.note_field_type for section in sections}
    note_model = create_model("NoteIn", __base__=NoteBase, **note_fields)
    lists = {
        section.key: (list[section.item_model], Field(default_factory=list, max_length=200))
        for section in sections
    }
    notes = (list[note_model], Field(default_factory=list, max_length=10_000))
    return create_model("ExportFile", __base__=FileBase, notes=notes, **lists)


class ImportError_(ValueError):
    """The file is refused; the message says why, for the person who uploaded it."""


# Export


def export_canvas(canvas: Canvas) -> dict:
    """Everything in a canvas as a version-2 document; notes that private writing still hides
    stay out, and their comments with them (a file shows its notes to whoever opens it)."""
    return export_with_refs(canvas)[0]


def export_with_refs(canvas: Canvas) -> tuple[dict, dict[int, str]]:
    """The document, and the file's reference of each note by its id."""
    order = {kind.value: index for index, kind in enumerate(POSTER_ORDER)}
    notes = sorted(
        Note.objects.visible_to(EVERYONE).of_canvas(canvas).select_related("block"),
        key=lambda note: (order[note.block.kind], note.position, note.pk),
    )
    note_refs = {note.pk: f"n{index}" for index, note in enumerate(notes, 1)}
    threads = note_threads(note_refs)
    note_items = {
        note.pk: {
            "ref": note_refs[note.pk],
            "block": note.block.kind,
            "text": note.text,
            "colour": note.colour,
            "position": note.position,
            "thread": threads.get(note.pk),
        }
        for note in notes
    }
    document = {
        "format": FORMAT,
        "version": VERSION,
        "canvas": {
            "title": canvas.title,
            "description": canvas.description,
            "currency": canvas.currency,
            "focus_segment_count": canvas.focus_segment_count,
        },
        "notes": list(note_items.values()),
    }
    for section in registry.file_sections():
        items, per_note = section.export(canvas, note_refs)
        document[section.key] = items
        for note_id, item in note_items.items():
            item[section.note_field] = per_note.get(note_id, [])
    return document, note_refs


# Import

NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def read(raw: bytes):
    """Decode, parse and validate an uploaded file; ImportError_ says why it is refused."""
    try:
        # utf-8-sig: a byte-order mark (Windows editors write one) is not part of the JSON.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_("The file is not valid JSON.") from None
    if nests_deeper_than(text, MAX_DEPTH):
        raise ImportError_(
            f"The file nests lists and objects more than {MAX_DEPTH} levels deep: "
            "that is not a canvas file."
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # ValueError is also a number of more than 4,300 digits, which no canvas holds.
        raise ImportError_("The file is not valid JSON.") from None
    return parse(data)


def nests_deeper_than(text: str, limit: int) -> bool:
    """True when arrays and objects in JSON text nest deeper than `limit`, found without parsing."""
    # Linear and in C throughout (5 MB in well under a second), with no regex that backtracks.
    # Drop escaped backslashes, then escaped quotes: every quote left opens or closes a string.
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside_strings = "".join(unescaped.split('"')[::2])
    depths = accumulate(map(BRACKET_STEP.__getitem__, NOT_A_BRACKET.sub("", outside_strings)))
    return next(filter(limit.__lt__, depths), None) is not None


def parse(data):
    """Validate a whole document; ImportError_ with a readable message when it is refused."""
    if not isinstance(data, dict):
        raise ImportError_("This is not a canvas file: expected a JSON object.")
    if data.get("format") != FORMAT:
        raise ImportError_("This is not a canvas file (its “format” is not “canvas-export”).")
    try:
        document = document_model().model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = " → ".join(str(part).replace("\x00", "\\0") for part in first["loc"])
        raise ImportError_(
            f"The file was refused: {where}: {problem_of(first)}."
            + (f" ({error.error_count() - 1} more problem(s).)" if error.error_count() > 1 else "")
        ) from None
    refs = [note.ref for note in document.notes]
    if len(set(refs)) != len(refs):
        raise ImportError_("The file was refused: two notes share a reference.")
    if document.version == 1 and any(note.thread for note in document.notes):
        raise ImportError_(
            "The file was refused: comment threads came with version 2 of the format, "
            "and this file says it is version 1."
        )
    for section in registry.file_sections():
        section.check(document)
    return document


def problem_of(error) -> str:
    """What is wrong with one value, for a person; a section's own words where it has them."""
    if error["type"] == "extra_forbidden":
        return "is not a field of this format"
    for section in registry.file_sections():
        if error["loc"][0] == section.key and (message := section.problem(error)):
            return message
    return error["msg"]


@transaction.atomic
def import_canvas(
    document, *, team: Team, actor, title: str | None = None, summary: str = ""
) -> Canvas:
    """Create a new canvas in `team` from a validated document, all or nothing."""
    source = document.canvas
    canvas = services.create_canvas(
        team=team, title=title or source.title, description=source.description, author=actor
    )
    Canvas.objects.filter(pk=canvas.pk).update(
        currency=source.currency, focus_segment_count=source.focus_segment_count
    )
    canvas.currency, canvas.focus_segment_count = source.currency, source.focus_segment_count
    blocks = {block.kind: block for block in canvas.blocks.all()}
    notes = {
        item.ref: Note(
            block=blocks[item.block],
            text=item.text,
            colour=item.colour,
            position=item.position,
            author=actor,
        )
        for item in document.notes
    }
    Note.objects.bulk_create(notes.values())
    create_threads(
        canvas,
        team,
        [
            NewThread(NOTE_TARGET, notes[item.ref].pk, item.thread, note=notes[item.ref])
            for item in document.notes
            if item.thread
        ],
    )
    with folded():  # the sections' services record nothing of their own: the import is one change
        for section in registry.file_sections():
            section.import_items(canvas, document, notes, actor)
    services.compact_positions(canvas)
    summary = summary or "imported the canvas from a file"
    record_change(canvas, actor=actor, verb="canvas.imported", summary=summary)
    return canvas


@transaction.atomic
def duplicate_canvas(*, canvas: Canvas, actor, title: str | None = None) -> Canvas:
    """A copy in the same team of everything the canvas file carries (notes still hidden by
    private writing stay behind), comments included: exactly what an export and an import
    give. Nobody is mentioned again, so no inbox fills up with a copy's old comments."""
    document = parse(json.loads(json.dumps(export_canvas(canvas))))
    return import_canvas(
        document,
        team=canvas.team,
        actor=actor,
        title=title or f"Copy of {canvas.title}"[:200],
        summary=f"copied the canvas from {quote(canvas.title)}",
    )
