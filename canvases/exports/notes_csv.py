"""Every note of a canvas as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from canvases import registry
from canvases.models import EVERYONE, Canvas, Note

from .canvas_file import export_with_refs


def notes_csv(canvas: Canvas) -> str:
    """Every note everyone may read: block, text, colour, what each file section says about it
    (its segments), author, created and updated (UTC)."""
    out = io.StringIO()
    writer = csv.writer(out)
    sections = registry.file_sections()
    writer.writerow(
        [
            "block",
            "text",
            "colour",
            *(s.csv_column for s in sections),
            "author",
            "created",
            "updated",
        ]
    )
    document, note_refs = export_with_refs(canvas)  # the file's notes, order and fields
    items = {item["ref"]: item for item in document["notes"]}
    notes = Note.objects.visible_to(EVERYONE).of_canvas(canvas).select_related("block", "author")
    for note in sorted(notes, key=lambda note: int(note_refs[note.pk][1:])):
        item = items[note_refs[note.pk]]
        row = [
            note.block.get_kind_display(),
            note.text,
            note.colour,
            *(s.note_value_in_words(item[s.note_field], document[s.key]) for s in sections),
            note.author.get_username() if note.author else "",  # "+cmd" is a valid username
            note.created_at.isoformat(timespec="seconds"),
            note.updated_at.isoformat(timespec="seconds"),
        ]
        # Every cell, not only the ones users write today: a column added later is safe too.
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def csv_safe(text: str) -> str:
    # A cell starting with = + - @ (or tab, CR) runs as a formula in spreadsheets: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
