"""Workshops: a facilitator runs a session on a canvas with guests. Every facilitator control
is a named verb: one transaction on the locked workshop row, one history record, one live
event (`workshopChanged`, which refreshes every open page's workshop bar); a control that
changes nothing records nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from canvases.changes import record_change
from canvases.models import BlockKind, Canvas, Guest, Note, Workshop


class WorkshopError(Exception):
    """A workshop action that cannot be done; the message says why."""


def _locked(workshop: Workshop) -> Workshop:
    """The workshop as it is now, its row locked: parallel controls take turns."""
    fresh = Workshop.objects.select_for_update().select_related("canvas").get(pk=workshop.pk)
    if not fresh.is_running:
        raise WorkshopError("The workshop has ended.")
    return fresh


# Controls that change only the workshop bar: pages keep their note lists (at sixty guests,
# a timer click would otherwise have every page fetch the whole board).
BAR_ONLY = {"timer_started", "timer_paused", "timer_resumed", "timer_extended", "focused"}


def _record(workshop: Workshop, actor, verb: str, summary: str, **fields) -> bool:
    """Save the fields that differ and record them as one change; False when none differs."""
    before = {name: getattr(workshop, name) for name in fields}
    changed = [name for name, value in fields.items() if before[name] != value]
    if not changed:
        return False
    for name in changed:
        setattr(workshop, name, fields[name])
    workshop.save(update_fields=changed)
    record_change(
        workshop.canvas,
        actor=actor,
        verb=f"workshop.{verb}",
        summary=summary,
        target_id=workshop.pk,
        before={name: _plain(before[name]) for name in changed},
        after={name: _plain(fields[name]) for name in changed},
        notes_unchanged=verb in BAR_ONLY,
    )
    return True


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


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
    name = f" “{title}”" if title else ""
    record_change(
        canvas, actor=facilitator, verb="workshop.started", summary=f"started the workshop{name}",
        target_id=workshop.pk,
    )  # fmt: skip
    return workshop


@transaction.atomic
def join(*, workshop: Workshop, display_name: str) -> Guest:
    """A guest joins with only a display name."""
    guest = Guest.objects.create(workshop=workshop, display_name=display_name)
    record_change(
        workshop.canvas, actor=None, verb="workshop.joined",
        summary=f"{display_name} joined the workshop as a guest", target_id=workshop.pk,
    )  # fmt: skip
    return guest


@transaction.atomic
def start_timer(*, workshop: Workshop, minutes: int, actor) -> Workshop:
    """Count down from `minutes`, from now."""
    workshop = _locked(workshop)
    ends = timezone.now() + timedelta(minutes=minutes)
    summary = f"started the timer ({minutes} min)"
    _record(workshop, actor, "timer_started", summary, timer_ends_at=ends, timer_left=None)
    return workshop


@transaction.atomic
def pause_timer(*, workshop: Workshop, actor) -> Workshop:
    """Stop the countdown, keeping the time left (resume_timer goes on from there)."""
    workshop = _locked(workshop)
    if workshop.timer_ends_at is not None:
        left = workshop.seconds_left()
        _record(workshop, actor, "timer_paused", "paused the timer", timer_ends_at=None,
                timer_left=left)  # fmt: skip
    return workshop


@transaction.atomic
def resume_timer(*, workshop: Workshop, actor) -> Workshop:
    """Go on counting down from where the timer was paused."""
    workshop = _locked(workshop)
    if workshop.timer_ends_at is None and workshop.timer_left:
        ends = timezone.now() + timedelta(seconds=workshop.timer_left)
        _record(workshop, actor, "timer_resumed", "resumed the timer", timer_ends_at=ends,
                timer_left=None)  # fmt: skip
    return workshop


@transaction.atomic
def add_minute(*, workshop: Workshop, actor) -> Workshop:
    """One more minute on the clock (a paused or unset timer gets it too)."""
    workshop = _locked(workshop)
    if workshop.timer_ends_at is not None:
        base = max(workshop.timer_ends_at, timezone.now())
        fields = {"timer_ends_at": base + timedelta(minutes=1)}
    else:
        fields = {"timer_left": (workshop.timer_left or 0) + 60}
    _record(workshop, actor, "timer_extended", "added a minute to the timer", **fields)
    return workshop


@transaction.atomic
def set_focus(*, workshop: Workshop, block: str, actor) -> Workshop:
    """Bring everyone to one block ('' = no focus)."""
    workshop = _locked(workshop)
    label = BlockKind(block).label if block else ""
    summary = f"brought everyone to {label}" if block else "ended the focus on a block"
    _record(workshop, actor, "focused", summary, focus_block=block)
    return workshop


@transaction.atomic
def start_private_writing(*, workshop: Workshop, actor) -> Workshop:
    """From now on, new notes stay hidden from everyone but their authors until revealed."""
    workshop = _locked(workshop)
    _record(workshop, actor, "private_on", "started private writing", private_writing=True)
    return workshop


@transaction.atomic
def reveal(*, workshop: Workshop, actor) -> int:
    """End private writing and show every note written privately, to everyone."""
    workshop = _locked(workshop)
    notes = Note.objects.alive().filter(block__canvas_id=workshop.canvas_id, hidden=True)
    kinds = sorted(set(notes.values_list("block__kind", flat=True)))
    count = notes.update(hidden=False)
    if not count and not workshop.private_writing:
        return 0
    workshop.private_writing = False
    workshop.save(update_fields=["private_writing"])
    record_change(
        workshop.canvas, actor=actor, verb="workshop.revealed",
        summary=f"revealed {count} privately written note(s)", target_id=workshop.pk,
        blocks=kinds,
    )  # fmt: skip
    return count


@transaction.atomic
def set_anonymous(*, workshop: Workshop, anonymous: bool, actor) -> Workshop:
    """Hide (or show again) who wrote the guests' notes."""
    workshop = _locked(workshop)
    summary = "made guests' notes anonymous" if anonymous else "showed who wrote guests' notes"
    _record(workshop, actor, "anonymous" if anonymous else "named", summary, anonymous=anonymous)
    return workshop


@transaction.atomic
def open_voting(*, workshop: Workshop, block: str, budget: int, actor) -> Workshop:
    """A new round of dot voting on one block ('' = the whole canvas), `budget` dots each."""
    workshop = _locked(workshop)
    where = BlockKind(block).label if block else "the whole canvas"
    _record(
        workshop, actor, "voting_opened", f"opened dot voting on {where} ({budget} dots each)",
        voting_open=True, vote_block=block, vote_budget=budget,
        voting_round=workshop.voting_round + 1,
    )  # fmt: skip
    return workshop


@transaction.atomic
def close_voting(*, workshop: Workshop, actor) -> Workshop:
    """Close the round and show its results."""
    workshop = _locked(workshop)
    _record(workshop, actor, "voting_closed", "closed dot voting", voting_open=False)
    return workshop


@transaction.atomic
def vote_for_the_room(*, workshop: Workshop, on: bool, budget: int, actor) -> Workshop:
    """Hybrid workshops: from now on the facilitator's dots go to the room's ballot (`budget`
    dots a round, 0: no budget of its own), or to their own again."""
    workshop = _locked(workshop)
    if on:
        dots = f"{budget} dots a round" if budget else "no budget of its own"
        fields = {"room_voting": True, "room_budget": budget}
        _record(workshop, actor, "room_on", f"started voting for the room ({dots})", **fields)
    else:
        _record(workshop, actor, "room_off", "stopped voting for the room", room_voting=False)
    return workshop


@transaction.atomic
def lock(*, workshop: Workshop, actor) -> Workshop:
    """Nobody but the facilitator changes the canvas until it is unlocked."""
    workshop = _locked(workshop)
    _record(workshop, actor, "locked", "locked the canvas", locked=True)
    return workshop


@transaction.atomic
def unlock(*, workshop: Workshop, actor) -> Workshop:
    workshop = _locked(workshop)
    _record(workshop, actor, "unlocked", "unlocked the canvas", locked=False)
    return workshop


@transaction.atomic
def end(*, workshop: Workshop, actor) -> Workshop:
    """End the workshop: guest access stops on their next request, open guest pages leave."""
    workshop = _locked(workshop)
    _record(workshop, actor, "ended", "ended the workshop", ended_at=timezone.now(),
            locked=False, voting_open=False)  # fmt: skip
    return workshop


@transaction.atomic
def revoke(*, guest: Guest, actor) -> None:
    """Take a guest out of the workshop, at once."""
    workshop = _locked(guest.workshop)
    removed = Guest.objects.filter(pk=guest.pk, revoked_at=None).update(revoked_at=timezone.now())
    if removed:
        record_change(
            workshop.canvas, actor=actor, verb="workshop.guest_removed",
            summary=f"removed {guest.display_name} from the workshop", target_id=workshop.pk,
        )  # fmt: skip
