"""The comments appendix of the PDF pack: every note's thread, block by block, in poster
order, with its comments' authors and dates and whether it is resolved. It shows the notes the
poster shows (private writing's EVERYONE), so no comment of a hidden note is printed."""

from __future__ import annotations

from dataclasses import dataclass

from canvases.models import EVERYONE, POSTER_ORDER, Canvas, Comment, Note
from canvases.registry import PackPage

from .comments_file import threads_with_comments

TEMPLATE = "canvases/exports/comments_appendix.html"


@dataclass(frozen=True)
class NoteThread:
    note: Note
    resolved_at: object
    comments: list[Comment]


def comments_appendix(canvas: Canvas) -> PackPage:
    """The appendix as a page of the pack: (block label, its notes' threads) in poster order."""
    notes = {
        note.pk: note
        for note in Note.objects.visible_to(EVERYONE).of_canvas(canvas).select_related("block")
    }
    threads = threads_with_comments().filter(canvas=canvas, note_id__in=list(notes))
    found = [
        NoteThread(notes[thread.note_id], thread.resolved_at, comments)
        for thread in threads
        if (comments := list(thread.comments.all()))
    ]
    blocks = []
    for kind in POSTER_ORDER:
        here = sorted(
            (t for t in found if t.note.block.kind == kind),
            key=lambda t: (t.note.position, t.note.pk),
        )
        if here:
            blocks.append((kind.label, here))
    return PackPage(TEMPLATE, {"canvas": canvas, "blocks": blocks})
