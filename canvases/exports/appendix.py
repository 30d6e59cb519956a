"""The comments appendix of the PDF pack: every thread (a note's, a segment's, a profile
entry's), block by block, in poster order, with its comments' authors and dates and whether it
is resolved. It shows the notes the poster shows (private writing's EVERYONE), so no comment
of a hidden note is printed."""

from __future__ import annotations

from dataclasses import dataclass

from canvases import registry
from canvases.models import EVERYONE, POSTER_ORDER, Canvas, Comment, Note
from canvases.registry import PackPage

from .comments_file import threads_with_comments

TEMPLATE = "canvases/exports/comments_appendix.html"


@dataclass(frozen=True)
class AppendixThread:
    """A thread as the appendix prints it: about a note (its text, its colour) or about an
    extension's object (its label, e.g. the segment “Students”), under a block."""

    block: str
    order: tuple
    about: str
    colour: str
    resolved_at: object
    comments: list[Comment]


def comments_appendix(canvas: Canvas) -> PackPage:
    """The appendix as a page of the pack: (block label, its threads) in poster order, the
    notes' first, then those about the extensions' objects shown in that block."""
    notes = {
        note.pk: note
        for note in Note.objects.visible_to(EVERYONE).of_canvas(canvas).select_related("block")
    }
    found = [*note_threads(canvas, notes), *other_threads(canvas)]
    blocks = []
    for kind in POSTER_ORDER:
        here = sorted((t for t in found if t.block == kind), key=lambda t: t.order)
        if here:
            blocks.append((kind.label, here))
    return PackPage(TEMPLATE, {"canvas": canvas, "blocks": blocks})


def note_threads(canvas: Canvas, notes: dict[int, Note]) -> list[AppendixThread]:
    threads = threads_with_comments().filter(canvas=canvas, note_id__in=list(notes))
    return [
        AppendixThread(
            note.block.kind,
            (0, note.position, note.pk),
            note.text,
            note.colour,
            thread.resolved_at,
            comments,
        )  # fmt: skip
        for thread in threads
        if (comments := list(thread.comments.all())) and (note := notes[thread.note_id])
    ]


def other_threads(canvas: Canvas) -> list[AppendixThread]:
    """Threads about what extensions register (segments, profile entries), found as everyone
    may read them, under the block whose filter finds them (`in_block`)."""
    targets = registry.comment_targets()
    canvas.viewer = EVERYONE
    threads = threads_with_comments().filter(canvas=canvas, note__isnull=True)
    found = []
    for thread in threads.filter(target_kind__in=list(targets)).order_by("created_at", "pk"):
        target = targets[thread.target_kind]
        obj = target.find(canvas, thread.target_id)
        comments = list(thread.comments.all())
        if obj is None or not comments or not target.in_block:
            continue
        label = target.label(obj)
        found.append(
            AppendixThread(
                target.in_block,
                (1, thread.created_at, thread.pk),
                label[:1].upper() + label[1:],
                "plain",
                thread.resolved_at,
                comments,
            )  # fmt: skip
        )
    return found
