"""Every write to comments: add, edit, delete, resolve and reopen a thread. Each one
transaction, one history record and one live event that names the thread (pages refresh the
card's badge through the note lists, and any open thread)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from canvases.changes import quote, record_change
from canvases.models import Canvas, Comment, Guest, Thread

from .access import Target
from .mentions import email_on_commit, record_mentions


def thread_for(canvas: Canvas, target: Target) -> Thread:
    """The target's thread, made with its first comment; the unique constraint settles two
    first comments at once (the second one finds the first one's thread)."""
    lookup = {"canvas": canvas, "target_kind": target.kind, "target_id": target.id}
    thread = Thread.objects.filter(**lookup).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            return Thread.objects.create(**lookup, note=target.note)
    except IntegrityError:
        return Thread.objects.get(**lookup)


def who(comment: Comment) -> str:
    return f"{comment.guest.display_name} (guest) " if comment.guest_id else ""


def record(canvas: Canvas, target: Target, *, actor, verb: str, summary: str, **states) -> None:
    note = target.note
    record_change(
        canvas,
        actor=actor,
        verb=verb,
        summary=summary,
        note_id=note.pk if note else None,
        target_id=target.id,
        blocks=[target.block] if target.block else [],
        note=note,
        thread=target.key,
        event_name=target.event,
        **states,
    )


def state(comment: Comment, thread: Thread) -> dict:
    return {"comment": comment.pk, "text": comment.text, "thread": thread.pk}


@transaction.atomic
def add_comment(
    *, canvas: Canvas, target: Target, text: str, author, guest: Guest | None = None
) -> Comment:
    """Add a comment to the target's thread; members it @mentions find it in their inbox."""
    thread = thread_for(canvas, target)
    comment = Comment.objects.create(thread=thread, author=author, guest=guest, text=text)
    mentioned = record_mentions(comment, canvas.team, author_id=getattr(author, "pk", None))
    record(
        canvas,
        target,
        actor=author,
        verb="comment.added",
        summary=f"{who(comment)}commented on {target.label}: {quote(text)}",
        after=state(comment, thread),
    )
    hidden = bool(target.note and target.note.hidden)
    email_on_commit(comment, mentioned, where=canvas.title, hidden=hidden)
    return comment


@transaction.atomic
def edit_comment(*, canvas: Canvas, target: Target, comment: Comment, text: str, actor) -> Comment:
    """Change one's comment (the same text changes nothing and records nothing); a member
    mentioned for the first time is notified."""
    if text == comment.text:
        return comment
    before = state(comment, comment.thread)
    comment.text, comment.edited_at = text, timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    mentioned = record_mentions(comment, canvas.team, author_id=comment.author_id)
    record(
        canvas,
        target,
        actor=actor,
        verb="comment.edited",
        summary=f"{who(comment)}changed a comment on {target.label}: {quote(text)}",
        before=before,
        after=state(comment, comment.thread),
    )
    hidden = bool(target.note and target.note.hidden)
    email_on_commit(comment, mentioned, where=canvas.title, hidden=hidden)
    return comment


@transaction.atomic
def delete_comment(*, canvas: Canvas, target: Target, comment: Comment, actor) -> None:
    """Delete one's comment for good (its mentions go with it)."""
    before = state(comment, comment.thread)
    label = who(comment)
    comment.delete()
    record(
        canvas,
        target,
        actor=actor,
        verb="comment.deleted",
        summary=f"{label}deleted a comment on {target.label}",
        before=before,
    )


@transaction.atomic
def resolve_thread(*, canvas: Canvas, target: Target, thread: Thread, actor) -> Thread:
    """Mark a thread resolved (already resolved: nothing recorded)."""
    updated = Thread.objects.filter(pk=thread.pk, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    thread.refresh_from_db(fields=["resolved_at", "resolved_by"])
    if updated:
        record(
            canvas,
            target,
            actor=actor,
            verb="comment.resolved",
            summary=f"resolved the comments on {target.label}",
        )
    return thread


@transaction.atomic
def reopen_thread(*, canvas: Canvas, target: Target, thread: Thread, actor) -> Thread:
    """Open a resolved thread again (already open: nothing recorded)."""
    updated = Thread.objects.filter(pk=thread.pk, resolved_at__isnull=False).update(
        resolved_at=None, resolved_by=None
    )
    thread.refresh_from_db(fields=["resolved_at", "resolved_by"])
    if updated:
        record(
            canvas,
            target,
            actor=actor,
            verb="comment.reopened",
            summary=f"reopened the comments on {target.label}",
        )
    return thread
