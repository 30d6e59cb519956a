"""Comment threads in the canvas file (format version 2): how a thread is written, validated
and created again. A note carries its thread in its `thread` field; an extension whose objects
have threads (a segment, a profile entry) can put the same value on its own items with
`thread_out` and `ThreadIn`, and create them with `create_threads`.

Authors are names, never ids: a member's username, or a guest's display name marked as a
guest's. On import, a username that is a member of the importing team gets the comment back;
any other name stays on the comment as written (`Comment.imported_author`), and nobody is
mentioned again: an import does not fill anyone's inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from canvases.models import COMMENT_MAX_LENGTH, Comment, Team, Thread

from .file_types import Strict, Written

# Far enough from datetime's own limits that no time zone offset overflows it.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


def moment(value):
    """An ISO 8601 date and time with its offset ("2026-11-23T09:30:00+00:00")."""
    if not isinstance(value, str):
        raise PydanticCustomError("moment", "is not a date and time written as text")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("moment", "is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None:
        raise PydanticCustomError("moment", "has no time zone (add +00:00 for UTC)")
    if not EARLIEST <= parsed < LATEST:
        raise PydanticCustomError("moment", "is not a date between 1970 and 9000")
    return parsed


Moment = Annotated[datetime, BeforeValidator(moment)]
Name = Annotated[str, Field(min_length=1, max_length=150)]


class CommentIn(Strict):
    author: Name | None = None  # None: a member who has since left
    guest: bool = False
    text: Written = Field(max_length=COMMENT_MAX_LENGTH)
    created_at: Moment
    edited_at: Moment | None = None


class ThreadIn(Strict):
    resolved_at: Moment | None = None
    resolved_by: Name | None = None
    comments: list[CommentIn] = Field(min_length=1, max_length=1000)


# Export


def comment_out(comment: Comment) -> dict:
    if comment.guest_id:
        author, guest = comment.guest.display_name, True
    elif comment.imported_author:
        author, guest = comment.imported_author, comment.imported_guest
    else:
        author, guest = (comment.author.get_username() if comment.author_id else None), False
    return {
        "author": author,
        "guest": guest,
        "text": comment.text,
        "created_at": comment.created_at.astimezone(UTC).isoformat(),
        "edited_at": comment.edited_at.astimezone(UTC).isoformat() if comment.edited_at else None,
    }


def thread_out(thread: Thread) -> dict | None:
    """A thread as the file writes it (None when no comment is left in it); `thread` comes
    from `threads_with_comments`, so that its comments are loaded with it."""
    comments = [comment_out(comment) for comment in thread.comments.all()]
    if not comments:
        return None
    resolved_by = thread.resolved_by.get_username() if thread.resolved_by_id else None
    return {
        "resolved_at": thread.resolved_at.astimezone(UTC).isoformat()
        if thread.resolved_at
        else None,
        "resolved_by": resolved_by if thread.resolved_at else None,
        "comments": comments,
    }


def threads_with_comments():
    comments = Comment.objects.select_related("author", "guest").order_by("created_at", "pk")
    return Thread.objects.select_related("resolved_by").prefetch_related(
        Prefetch("comments", queryset=comments)
    )


def note_threads(note_ids) -> dict[int, dict]:
    """The file's thread of each note (by id) that has comments. The caller passes only the
    notes the file shows, so the comments of notes private writing hides stay out with them."""
    threads = threads_with_comments().filter(note_id__in=list(note_ids))
    return {thread.note_id: out for thread in threads if (out := thread_out(thread))}


# Import


@dataclass(frozen=True)
class NewThread:
    """A thread to create: what it is about in the new canvas, and the file's thread."""

    kind: str
    target_id: int
    source: ThreadIn
    note: object = None  # the Note, for a note's thread


def create_threads(canvas, team: Team, threads: list[NewThread]) -> None:
    """Create the threads and their comments (inside the import's transaction, in two bulk
    inserts each); authors are the team's members whose usernames the file names."""
    if not threads:
        return
    names = {c.author for t in threads for c in t.source.comments if c.author and not c.guest}
    names |= {t.source.resolved_by for t in threads if t.source.resolved_by}
    members = {
        user.get_username(): user
        for user in get_user_model().objects.filter(
            memberships__team=team, **{f"{get_user_model().USERNAME_FIELD}__in": names}
        )
    }
    made = Thread.objects.bulk_create(
        Thread(
            canvas=canvas,
            note=new.note,
            target_kind=new.kind,
            target_id=new.target_id,
            resolved_at=new.source.resolved_at,
            resolved_by=members.get(new.source.resolved_by or "")
            if new.source.resolved_at
            else None,
            created_at=new.source.comments[0].created_at,
        )
        for new in threads
    )
    Comment.objects.bulk_create(
        comment_in(thread, item, members)
        for thread, new in zip(made, threads, strict=True)
        for item in new.source.comments
    )


def comment_in(thread: Thread, item: CommentIn, members: dict) -> Comment:
    member = None if item.guest else members.get(item.author or "")
    return Comment(
        thread=thread,
        author=member,
        imported_author="" if member or item.author is None else item.author,
        imported_guest=item.guest and item.author is not None,
        text=item.text,
        created_at=item.created_at,
        edited_at=item.edited_at,
    )
