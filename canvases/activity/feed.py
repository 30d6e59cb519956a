"""The activity of a canvas: history records and comments merged newest first, filtered by
person and block, a page at a time (a cursor: older than the last one shown). Both reads go
through the one rule of private writing: a change to a hidden note shows only that someone
worked on it, a comment on a hidden note does not show at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from canvases import registry
from canvases.comments.access import comment_url
from canvases.models import Canvas, ChangeRecord, Comment

PAGE_SIZE = 50
# Comments show with their text as it is now (a deleted one is gone); resolving and
# reopening a thread show as changes.
COMMENT_VERBS = ["comment.added", "comment.edited", "comment.deleted"]


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    text: str = ""  # a comment's text
    url: str = ""  # a comment in place
    is_comment: bool = False


def changes(canvas: Canvas, *, person: int | None, block: str, before: datetime | None):
    records = (
        ChangeRecord.objects.filter(canvas=canvas)
        .exclude(verb__in=COMMENT_VERBS)
        .seen_by(canvas.viewer)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    if person:
        records = records.filter(actor_id=person)
    if block:
        records = records.filter(note__block__kind=block)
    if before:
        records = records.filter(at__lt=before)
    return records


def comments(canvas: Canvas, *, person: int | None, block: str, before: datetime | None):
    found = (
        Comment.objects.filter(thread__canvas=canvas)
        .readable_by(canvas.viewer)
        .select_related("author", "guest", "thread__note__block")
        .order_by("-created_at", "-pk")
    )
    if person:
        found = found.filter(author_id=person)
    if block:  # a note's block, or the block an extension's target belongs to (segments)
        kinds = [t.kind for t in registry.comment_targets().values() if t.in_block == block]
        found = found.filter(Q(thread__note__block__kind=block) | Q(thread__target_kind__in=kinds))
    if before:
        found = found.filter(created_at__lt=before)
    return found


def comment_entry(comment: Comment) -> Entry:
    note = comment.thread.note
    about = f"{note.block.get_kind_display()}: “{note.text[:60]}”" if note else kind_of(comment)
    return Entry(
        at=comment.created_at,
        who=comment.author_name,
        what=f"commented on {about}",
        text=comment.text,
        url=comment_url(comment),
        is_comment=True,
    )


def kind_of(comment: Comment) -> str:
    """What an extension's thread is about, in words without a query ("a segment")."""
    return "a " + comment.thread.target_kind.replace("-", " ")


def change_entry(record: ChangeRecord) -> Entry:
    who = record.actor.get_username() if record.actor_id else "a guest or a former member"
    return Entry(at=record.at, who=who, what=record.shown_summary)


def activity(
    canvas: Canvas, *, person: int | None = None, block: str = "", before: datetime | None = None
) -> tuple[list[Entry], datetime | None]:
    """A page of entries, newest first, and where the next page starts (None: no more)."""
    filters = {"person": person, "block": block, "before": before}
    entries = [change_entry(r) for r in changes(canvas, **filters)[: PAGE_SIZE + 1]]
    entries += [comment_entry(c) for c in comments(canvas, **filters)[: PAGE_SIZE + 1]]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    return entries, entries[-1].at if more and entries else None
