"""Dot voting: each person spends a budget of dots per round, counted in a ballot row that
one conditional increment updates, so that parallel clicks cannot overspend. A dot is not
history (who voted for what stays private): a vote only tells open pages to refresh."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F

from canvases.models import Ballot, Guest, Note, Viewer, Vote, Workshop, hidden_from

from .services import WorkshopError, announce


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
