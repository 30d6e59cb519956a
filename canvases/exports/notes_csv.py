"""Every note of a canvas as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from canvases.models import EVERYONE, POSTER_ORDER, Canvas, Note


def notes_csv(canvas: Canvas) -> str:
    """Every live note: block, text, segments, author, created and updated (UTC)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["block", "text", "colour", "segments", "author", "created", "updated"])
    order = {kind.value: index for index, kind in enumerate(POSTER_ORDER)}
    notes = (
        Note.objects.visible_to(EVERYONE)
        .of_canvas(canvas)
        .select_related("block", "author")
        .prefetch_related("segments")
    )
    for note in sorted(notes, key=lambda n: (order[n.block.kind], n.position, n.pk)):
        row = [
            note.block.get_kind_display(),
            note.text,
            note.colour,
            "; ".join(s.name for s in sorted(note.segments.all(), key=lambda s: s.rank)),
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
