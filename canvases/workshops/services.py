"""Workshops: a facilitator runs a session on a canvas with guests. Every write here tells the
open pages (`workshopChanged`), which refresh the workshop bar."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from canvas_site.live import publish_on_commit
from canvases.changes import record_change
from canvases.models import Ballot, Canvas, Guest, Note, Viewer, Vote, Workshop, hidden_from


class WorkshopError(Exception):
    """A workshop action that cannot be done; the message says why."""


def announce(workshop: Workshop, event: str = "workshopChanged") -> None:
    publish_on_commit({"event": event, "canvas": workshop.canvas_id, "workshop": workshop.pk})


@transaction.atomic
def start_workshop(
    *, canvas: Canvas, facilitator, title: str = "", hours: int | None = None
) -> Workshop:
    """Start a workshop on the canvas with `facilitator` in charge (one at a time per canvas:
    a unique constraint decides between parallel starts)."""
    now = timezone.now()
    expired = Workshop.objects.filter(canvas=canvas, ended_at=None, expires_at__lte=now)
    expired.update(ended_at=F("expires_at"))
    expires = now + timedelta(hours=hours) if hours else None
    try:
        with transaction.atomic():
            workshop = Workshop.objects.create(
                canvas=canvas, facilitator=facilitator, title=title, expires_at=expires
            )
    except IntegrityError:
        raise WorkshopError("A workshop is already running on this canvas.") from None
    announce(workshop)
    return workshop


@transaction.atomic
def join(*, workshop: Workshop, display_name: str) -> Guest:
    """A guest joins with only a display name."""
    guest = Guest.objects.create(workshop=workshop, display_name=display_name)
    announce(workshop)
    return guest


def update(workshop: Workshop, **fields) -> Workshop:
    for name, value in fields.items():
        setattr(workshop, name, value)
    workshop.save(update_fields=list(fields))
    announce(workshop)
    return workshop


@transaction.atomic
def start_timer(*, workshop: Workshop, seconds: int) -> Workshop:
    """Count down from `seconds`."""
    return update(
        workshop, timer_ends_at=timezone.now() + timedelta(seconds=seconds), timer_left=None
    )


@transaction.atomic
def pause_timer(*, workshop: Workshop) -> Workshop:
    """Stop the countdown, keeping the time left; starting again resumes from there."""
    if workshop.timer_ends_at is None:
        if workshop.timer_left:
            return start_timer(workshop=workshop, seconds=workshop.timer_left)
        raise WorkshopError("The timer is not running.")
    return update(workshop, timer_left=workshop.seconds_left(), timer_ends_at=None)


@transaction.atomic
def add_minute(*, workshop: Workshop) -> Workshop:
    if workshop.timer_ends_at is not None:
        base = max(workshop.timer_ends_at, timezone.now())
        return update(workshop, timer_ends_at=base + timedelta(minutes=1))
    return update(workshop, timer_left=(workshop.timer_left or 0) + 60)


@transaction.atomic
def reveal(*, workshop: Workshop, actor) -> int:
    """Show every note written privately, to everyone."""
    notes = Note.objects.alive().filter(block__canvas_id=workshop.canvas_id, hidden=True)
    kinds = sorted(set(notes.values_list("block__kind", flat=True)))
    count = notes.update(hidden=False)
    update(workshop, private_writing=False)
    if count:
        record_change(
            workshop.canvas, actor=actor, verb="note.revealed",
            summary=f"revealed {count} privately written note(s)", blocks=kinds,
        )  # fmt: skip
    return count


@transaction.atomic
def open_voting(*, workshop: Workshop, block: str, budget: int) -> Workshop:
    """A new round of dot voting on one block ('' = the whole canvas)."""
    return update(
        workshop, voting_open=True, vote_block=block, vote_budget=budget,
        voting_round=workshop.voting_round + 1,
    )  # fmt: skip


def ballot_of(workshop: Workshop, *, user=None, guest: Guest | None = None) -> Ballot:
    """The voter's ballot for the current round (created on the first dot)."""
    ballot, _ = Ballot.objects.get_or_create(
        workshop=workshop, round=workshop.voting_round, user=user, guest=guest
    )
    return ballot


@transaction.atomic
def vote(*, workshop: Workshop, note: Note, user=None, guest: Guest | None = None) -> Vote:
    """Put one dot on a note, within the voter's budget for this round."""
    if not workshop.voting_open:
        raise WorkshopError("Voting is closed.")
    if workshop.vote_block and note.block.kind != workshop.vote_block:
        raise WorkshopError("This round of voting is on another block.")
    ballot = ballot_of(workshop, user=user, guest=guest)
    # One conditional increment: parallel clicks cannot spend more dots than the budget.
    spent = Ballot.objects.filter(pk=ballot.pk, dots_spent__lt=workshop.vote_budget).update(
        dots_spent=F("dots_spent") + 1
    )
    if not spent:
        raise WorkshopError(f"No dots left: you have used all your {workshop.vote_budget} dots.")
    cast = Vote.objects.create(
        workshop=workshop, round=workshop.voting_round, note=note, user=user, guest=guest
    )
    announce(workshop)
    return cast


@transaction.atomic
def unvote(*, workshop: Workshop, note: Note, user=None, guest: Guest | None = None) -> None:
    """Take one of one's dots back from a note."""
    mine = Vote.objects.filter(
        workshop=workshop, round=workshop.voting_round, note=note, user=user, guest=guest
    )
    last = mine.order_by("-pk").first()
    # Two parallel takes of the same dot: only the one that deletes it gives it back.
    if last is None or not Vote.objects.filter(pk=last.pk).delete()[0]:
        raise WorkshopError("You have no dot on this note.")
    Ballot.objects.filter(
        workshop=workshop, round=workshop.voting_round, user=user, guest=guest, dots_spent__gt=0
    ).update(dots_spent=F("dots_spent") - 1)
    announce(workshop)


def dots_left(workshop: Workshop, *, user=None, guest=None) -> int:
    ballot = Ballot.objects.filter(
        workshop=workshop, round=workshop.voting_round, user=user, guest=guest
    ).first()
    return max(0, workshop.vote_budget - (ballot.dots_spent if ballot else 0))


@dataclass(frozen=True)
class Result:
    note: Note
    dots: int


def results(workshop: Workshop, viewer: Viewer, voting_round: int | None = None) -> list[Result]:
    """Notes by dots received in a round (the latest by default), most first, among the notes
    `viewer` may read."""
    round_ = voting_round if voting_round is not None else workshop.voting_round
    counted = (
        Vote.objects.filter(workshop=workshop, round=round_, note__deleted_at=None)
        .exclude(hidden_from(viewer, prefix="note__"))
        .values("note")
        .annotate(dots=Count("pk"))
        .order_by("-dots", "note")
    )
    notes = Note.objects.in_bulk([row["note"] for row in counted])
    return [Result(notes[row["note"]], row["dots"]) for row in counted]


def my_dots(workshop: Workshop, *, user=None, guest=None) -> Counter:
    votes = Vote.objects.filter(
        workshop=workshop, round=workshop.voting_round, user=user, guest=guest
    )
    return Counter(votes.values_list("note_id", flat=True))


@transaction.atomic
def end(*, workshop: Workshop) -> Workshop:
    """End the workshop: guest access stops on their next request, open guest pages leave."""
    update(workshop, ended_at=timezone.now(), locked=False, voting_open=False)
    announce(workshop, "workshopEnded")
    return workshop


@transaction.atomic
def revoke(*, guest: Guest) -> None:
    """Take a guest out of the workshop, at once."""
    Guest.objects.filter(pk=guest.pk).update(revoked_at=timezone.now())
    announce(guest.workshop)
