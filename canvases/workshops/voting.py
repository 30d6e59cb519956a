"""Dot voting: each person spends a budget of dots per round, counted in a ballot row that
one conditional increment updates, so that parallel clicks cannot overspend. In a hybrid
workshop the facilitator also casts the room's dots, on the room's ballot, the same way.
A dot is not history, nor a live event: who voted for what stays private, and while voting
is open a dot changes only its voter's page, which the vote's answer refreshes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q

from canvases.models import Ballot, Guest, Note, Viewer, Vote, Workshop, hidden_from

from .services import WorkshopError

# A room ballot without a budget of its own still stops somewhere (its counter is small).
ROOM_DOTS_CAP = 500


def budget(workshop: Workshop, *, room: bool = False) -> int:
    """Dots a voter may spend this round: the room's budget, or each person's."""
    return (workshop.room_budget or ROOM_DOTS_CAP) if room else workshop.vote_budget


def _voter(workshop: Workshop, user, guest, room: bool) -> dict:
    """Which ballot and votes are the voter's: the room's one per round, or the person's."""
    if room:
        return {"workshop": workshop, "round": workshop.voting_round, "room": True}
    return {"workshop": workshop, "round": workshop.voting_round, "user": user, "guest": guest,
            "room": False}  # fmt: skip


def ballot_of(
    workshop: Workshop, *, user=None, guest: Guest | None = None, room: bool = False
) -> Ballot:
    """The voter's ballot for the current round (created on the first dot); the room's is
    kept by the facilitator."""
    ballot, _ = Ballot.objects.get_or_create(
        **_voter(workshop, user, guest, room), defaults={"user": user}
    )
    return ballot


@transaction.atomic
def vote(
    *, workshop: Workshop, note: Note, user=None, guest: Guest | None = None, room: bool = False
) -> Vote:
    """Put one dot on a note, within the voter's budget for this round (`room`: the
    facilitator's dot for the people in the room, within the room's budget)."""
    if not workshop.voting_open:
        raise WorkshopError("Voting is closed.")
    if room and (user is None or user.pk != workshop.facilitator_id):
        raise WorkshopError("Only the facilitator votes for the room.")
    if workshop.vote_block and note.block.kind != workshop.vote_block:
        raise WorkshopError("This round of voting is on another block.")
    ballot = ballot_of(workshop, user=user, guest=guest, room=room)
    limit = budget(workshop, room=room)
    # One conditional increment: parallel clicks cannot spend more dots than the budget.
    spent = Ballot.objects.filter(pk=ballot.pk, dots_spent__lt=limit).update(
        dots_spent=F("dots_spent") + 1
    )
    if not spent:
        whose = "the room has used all its" if room else "you have used all your"
        raise WorkshopError(f"No dots left: {whose} {limit} dots.")
    cast = Vote.objects.create(
        workshop=workshop, round=workshop.voting_round, note=note, user=user, guest=guest,
        room=room,
    )  # fmt: skip
    return cast


@transaction.atomic
def unvote(
    *, workshop: Workshop, note: Note, user=None, guest: Guest | None = None, room: bool = False
) -> None:
    """Take one of one's dots (or the room's) back from a note."""
    voter = _voter(workshop, user, guest, room)
    last = Vote.objects.filter(note=note, **voter).order_by("-pk").first()
    # Two parallel takes of the same dot: only the one that deletes it gives it back.
    if last is None or not Vote.objects.filter(pk=last.pk).delete()[0]:
        raise WorkshopError("You have no dot on this note.")
    Ballot.objects.filter(dots_spent__gt=0, **voter).update(dots_spent=F("dots_spent") - 1)


def dots_left(workshop: Workshop, *, user=None, guest=None, room: bool = False) -> int:
    ballot = Ballot.objects.filter(**_voter(workshop, user, guest, room)).first()
    return max(0, budget(workshop, room=room) - (ballot.dots_spent if ballot else 0))


@dataclass(frozen=True)
class Result:
    note: Note
    dots: int
    room_dots: int = 0  # of `dots`, those the facilitator cast for the room


def results(workshop: Workshop, viewer: Viewer, voting_round: int | None = None) -> list[Result]:
    """Notes by dots received in a round (the latest by default), most first, among the notes
    `viewer` may read."""
    round_ = voting_round if voting_round is not None else workshop.voting_round
    counted = (
        Vote.objects.filter(workshop=workshop, round=round_, note__deleted_at=None)
        .exclude(hidden_from(viewer, prefix="note__"))
        .values("note")
        .annotate(dots=Count("pk"), room_dots=Count("pk", filter=Q(room=True)))
        .order_by("-dots", "note")
    )
    notes = Note.objects.in_bulk([row["note"] for row in counted])
    return [Result(notes[row["note"]], row["dots"], row["room_dots"]) for row in counted]


def my_dots(workshop: Workshop, *, user=None, guest=None, room: bool = False) -> Counter:
    votes = Vote.objects.filter(**_voter(workshop, user, guest, room))
    return Counter(votes.values_list("note_id", flat=True))
