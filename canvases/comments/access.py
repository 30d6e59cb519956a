"""Who may read and write which comments: every lookup of a thread, a comment or a mention
goes through here, and through the note's one rule of private writing (`hidden_from`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from canvases import registry
from canvases.access import note_of
from canvases.changes import quote
from canvases.models import (
    NOTE_TARGET,
    Canvas,
    Comment,
    Mention,
    Note,
    Thread,
    Viewer,
    hidden_from,
)


@dataclass
class Target:
    """What a thread is about, found within a canvas for the canvas's viewer."""

    kind: str
    id: int
    obj: Any
    label: str
    block: str = ""
    event: str = ""
    badge: str = ""  # the template of its card's count, sent out of band after a write

    @property
    def note(self) -> Note | None:
        return self.obj if self.kind == NOTE_TARGET else None

    @property
    def key(self) -> str:
        """The thread's name on pages and in events: "note-12"."""
        return f"{self.kind}-{self.id}"


def note_label(note: Note) -> str:
    return f"the note {quote(note.text, 40)} in {note.block.get_kind_display()}"


def target_of(canvas: Canvas, kind: str, target_id: int) -> Target:
    """The object a thread is about: a live note the viewer may read, or an extension's
    object (its `find` checks the same); anything else is a 404."""
    if kind == NOTE_TARGET:
        note = note_of(canvas, target_id)
        return Target(kind, note.pk, note, note_label(note), block=note.block.kind)
    found = registry.comment_targets().get(kind)
    obj = found.find(canvas, target_id) if found else None
    if obj is None:
        raise Http404("Nothing to comment on here.")
    return Target(
        kind, obj.pk, obj, found.label(obj), block=found.block(obj), event=found.event,
        badge=found.badge,
    )  # fmt: skip


def comment_url(comment: Comment) -> str:
    """The comment in place: the page showing its target opens its thread (comments.js reads
    `?thread=`): the canvas page, or the page an extension's target names (a profile entry's)."""
    thread = comment.thread
    found = registry.comment_targets().get(thread.target_kind)
    if found is None or found.place is None:
        return comment.get_absolute_url()
    place = found.place(thread.canvas_id, thread.target_id)
    return f"{place}?thread={thread.target_kind}-{thread.target_id}#comment-{comment.pk}"


def thread_of(canvas: Canvas, target: Target) -> Thread | None:
    """The thread of a target, if anyone commented on it yet."""
    return Thread.objects.filter(
        canvas=canvas, target_kind=target.kind, target_id=target.id
    ).first()


def comment_of(canvas: Canvas, comment_id: int) -> tuple[Comment, Target]:
    """A comment of the canvas the viewer may read, with what its thread is about (a comment
    on a note in the trash or hidden by private writing is a 404 here)."""
    comments = Comment.objects.filter(thread__canvas=canvas).readable_by(canvas.viewer)
    comment = get_object_or_404(comments.select_related("thread", "author", "guest"), pk=comment_id)
    thread = comment.thread
    return comment, target_of(canvas, thread.target_kind, thread.target_id)


def own_comment_or_refuse(canvas: Canvas, comment: Comment) -> None:
    """Everyone edits and deletes only their own comments (owners too: it is their voice)."""
    if not canvas.viewer.is_author(author_id=comment.author_id, guest_id=comment.guest_id):
        raise PermissionDenied("You can change only your own comments.")


def may_resolve(canvas: Canvas, thread: Thread | None) -> bool:
    """Editors resolve and reopen any thread; whoever started a thread, their own."""
    if thread is None:
        return False
    if canvas.can_edit:
        return True
    first = thread.comments.order_by("created_at", "pk").values("author_id", "guest_id").first()
    return first is not None and canvas.viewer.is_author(**first)


def resolve_or_refuse(canvas: Canvas, thread: Thread | None) -> Thread:
    if thread is None:
        raise Http404("Nobody has commented here yet.")
    if not may_resolve(canvas, thread):
        raise PermissionDenied("Editors and whoever started the thread resolve it.")
    return thread


def mentions_of(user) -> QuerySet[Mention]:
    """The user's mentions they may still read: in a live canvas of a team they belong to,
    on something not in the trash and not hidden from them by private writing."""
    viewer = Viewer(user_id=user.pk)
    note = "comment__thread__note__"
    return (
        Mention.objects.filter(
            user=user,
            comment__thread__canvas__deleted_at=None,
            comment__thread__canvas__team__memberships__user=user,
        )
        .exclude(Q(**{f"{note}deleted_at__isnull": False}))
        .exclude(hidden_from(viewer, note))
    )
