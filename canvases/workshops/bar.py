"""The workshop bar on the canvas page: what each person sees of a running workshop (timer,
focus, private writing, voting and their dots, results, the facilitator's controls)."""

from __future__ import annotations

from django.urls import reverse

from canvases.models import POSTER_ORDER, Block, Note, Workshop

from . import voting


def running_workshop(canvas_id: int) -> Workshop | None:
    return Workshop.objects.running().filter(canvas_id=canvas_id).select_related("canvas").first()


def bar_context(request, canvas, workshop: Workshop | None) -> dict:
    guest = getattr(canvas, "guest", None)
    user = request.user if request.user.is_authenticated else None
    context = {"canvas": canvas, "workshop": workshop, "guest": guest, "is_facilitator": False}
    if workshop is None:
        context["can_start"] = canvas.can_edit
        return context
    voter = {"user": user, "guest": guest}
    context.update(
        is_facilitator=user is not None and workshop.facilitator_id == user.pk,
        seconds_left=workshop.seconds_left(),
        dots_left=voting.dots_left(workshop, **voter) if workshop.voting_open else 0,
        my_dots=dict(voting.my_dots(workshop, **voter)) if workshop.voting_open else {},
        results=voting.results(workshop, canvas.viewer) if workshop.voting_round else [],
        guests=list(workshop.guests.filter(revoked_at=None)),
        hidden_count=Note.objects.alive().filter(block__canvas=canvas, hidden=True).count(),
        join_url=request.build_absolute_uri(
            reverse("canvases:workshop-join", args=[workshop.join_token])
        ),
        block_kinds=[(kind.value, kind.label) for kind in POSTER_ORDER],
    )
    return context


def mark_votable(blocks: list[Block], workshop: Workshop, request) -> None:
    """During dot voting, notes in scope get a vote button and the viewer's dots on them."""
    user = request.user if request.user.is_authenticated else None
    mine = voting.my_dots(workshop, user=user, guest=getattr(request, "guest", None))
    for block in blocks:
        block.votable = not workshop.vote_block or workshop.vote_block == block.kind
        for note in block.live_notes:
            note.my_dots = mine.get(note.pk, 0)
