"""The workshop bar on the canvas page: what each person sees of a running workshop (timer,
focus, private writing, a lock, voting and their dots, results, the facilitator's controls
and the way in for guests), and the facilitator's preview of the page as a guest sees it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from canvases.models import POSTER_ORDER, Block, Guest, Note, Workshop

from . import voting


def running_workshop(canvas_id: int) -> Workshop | None:
    return Workshop.objects.running().filter(canvas_id=canvas_id).select_related("canvas").first()


def bar_context(request, canvas, workshop: Workshop | None) -> dict:
    """The bar's context; on the canvas page it also wins over the board's (canvases.page):
    a locked canvas offers no add fields to whoever the lock holds back."""
    guest = getattr(canvas, "guest", None)
    user = request.user if request.user.is_authenticated else None
    context = {"canvas": canvas, "workshop": workshop, "guest": guest, "is_facilitator": False}
    if workshop is None:
        context["can_start"] = canvas.can_edit
        return context
    is_facilitator = user is not None and workshop.facilitator_id == user.pk
    as_guest = is_facilitator and previewing(request)
    if as_guest:
        guest, user = show_as_a_guest(canvas, workshop), None
    room = is_facilitator and workshop.room_voting and not as_guest
    voter = {"user": user, "guest": guest, "room": room}
    locked_for_me = workshop.locked and (not is_facilitator or as_guest)
    context.update(
        guest=guest,
        is_facilitator=is_facilitator and not as_guest,
        as_guest=as_guest,
        locked_for_me=locked_for_me,
        seconds_left=workshop.seconds_left(),
        dots_left=voting.dots_left(workshop, **voter) if workshop.voting_open else 0,
        my_dots=dict(voting.my_dots(workshop, **voter)) if workshop.voting_open else {},
        results=voting.results(workshop, canvas.viewer) if workshop.voting_round else [],
        guests=list(workshop.guests.filter(revoked_at=None)),
        hidden_count=Note.objects.alive().filter(block__canvas=canvas, hidden=True).count(),
        block_kinds=[(kind.value, kind.label) for kind in POSTER_ORDER],
    )
    if locked_for_me:
        context["can_add"] = False
    if as_guest:
        context.update(can_edit=False, can_add=not workshop.locked)
    if room:
        context["room_budget"] = voting.budget(workshop, room=True)
        context["room_cast"] = context["room_budget"] - context["dots_left"]
    if context["is_facilitator"]:
        join_url = request.build_absolute_uri(
            reverse("canvases:workshop-join", args=[workshop.join_token])
        )
        code_url = request.build_absolute_uri(reverse("canvases:workshop-join-code"))
        context.update(join_url=join_url, code_url=code_url, join_qr=qr_svg(join_url))
    return context


def previewing(request) -> bool:
    """`?as=guest` on the canvas page, or on a refresh that page asks for (htmx sends the
    page's address along): the facilitator sees the page as a guest does."""
    if request.GET.get("as") == "guest":
        return True
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    return parse_qs(page.query).get("as") == ["guest"]


def show_as_a_guest(canvas, workshop: Workshop) -> Guest:
    """Make the facilitator's page a guest's: a stand-in guest (id 0: nothing is theirs), no
    role, and none of the facilitator's own privately written notes (a guest sees none)."""
    stand_in = Guest(pk=0, workshop=workshop, display_name="Guest (preview)")
    canvas.my_role, canvas.guest = None, stand_in
    # The board's notes came prefetched for the facilitator; drop the hidden ones in place.
    blocks = getattr(canvas, "_prefetched_objects_cache", {}).get("blocks")
    for block in blocks if blocks is not None else []:
        notes = block._prefetched_objects_cache.get("notes")
        if notes is not None:
            notes._result_cache = [note for note in notes if not note.hidden]
    return stand_in


def qr_svg(url: str) -> SafeString:
    """The join link as a QR code, inline SVG drawn by segno (no style attribute: the CSP
    allows none), to scan from a projected screen."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(omitsize=True, svgclass="qr-code", lineclass="qr-line"))


def mark_votable(blocks: list[Block], workshop: Workshop, request) -> None:
    """During dot voting, notes in scope get a vote button and the viewer's dots on them
    (the room's, for the facilitator voting for the room; none in a guest preview)."""
    user = request.user if request.user.is_authenticated else None
    is_facilitator = user is not None and user.pk == workshop.facilitator_id
    if is_facilitator and previewing(request):
        mine = {}
    else:
        room = is_facilitator and workshop.room_voting
        mine = voting.my_dots(workshop, user=user, guest=getattr(request, "guest", None), room=room)
    for block in blocks:
        block.votable = not workshop.vote_block or workshop.vote_block == block.kind
        for note in block.live_notes:
            note.my_dots = mine.get(note.pk, 0)
