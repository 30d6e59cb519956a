"""The canvas page's one assembler: every view that shows the board, a block or a note comes
through here, so that each shows the notes its viewer may read, what the registered
extensions add (canvases.registry), the workshop bar and the live tab, the same way."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import trigger_client_event

from canvas_site.htmx import HtmxHttpRequest
from canvas_site.live import new_tab

from .access import canvas_for
from .models import POSTER_ORDER, Block, Canvas, Note, NoteColour
from .registry import Extras, extensions
from .workshops.bar import bar_context, mark_votable, running_workshop

DETAIL = "canvases/canvas_detail.html"


def canvas_url(canvas: Canvas, anchor: str = "") -> str:
    url = canvas.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def panels(blocks: list[Block]) -> dict[str, list[str]]:
    """Templates of the extensions by place; each block also gets its own as `block.panels`."""
    places: dict[str, list[str]] = {}
    for extension in extensions():
        for place, templates in extension.panels.items():
            places.setdefault(place, []).extend(templates)
    for block in blocks:
        block.panels = places.get(f"block:{block.kind}", [])
    return places


def board_context(canvas: Canvas, **extra) -> dict:
    """What the canvas page and each of its partials need."""
    guest = getattr(canvas, "guest", None)
    return {
        "canvas": canvas,
        "block_kinds": [(kind.value, kind.label) for kind in POSTER_ORDER],
        "colours": NoteColour.choices,
        "notes_url": canvas_url(canvas) + "notes/",
        "canvas_url": canvas_url(canvas),
        "can_edit": canvas.can_edit,
        "guest": guest,
        "can_add": canvas.can_edit or guest is not None,
        # Defaults for what partials test: a missing variable costs an exception per lookup.
        "editing_note_id": None,
        "form_kind": None,
        "oob": False,
        **extra,
    }


def page_context(canvas: Canvas, request: HtmxHttpRequest, **extra) -> dict:
    """Everything on the canvas page: blocks with notes, extensions' panels, the workshop."""
    blocks = canvas.board()
    extras = Extras.load(canvas, lens=request.GET.get("lens"))
    notes = [note for block in blocks for note in block.live_notes]
    for block in blocks:
        for note in block.live_notes:
            note.block = block
    extras.decorate(notes)
    context = board_context(canvas, blocks=blocks, tab=new_tab(), panels=panels(blocks))
    context.update(extras.context(canvas, blocks))
    workshop = running_workshop(canvas.pk)
    context.update(bar_context(request, canvas, workshop))
    if workshop is not None and workshop.voting_open:
        mark_votable(blocks, workshop, request)
    context.update(extra)
    return context


def load_board(request: HtmxHttpRequest, canvas_id: int) -> Canvas:
    return canvas_for(request.user, canvas_id, board=True, guest=request.guest)


def render_page(request: HtmxHttpRequest, canvas: Canvas, *, status: int = 200, **extra):
    return render(request, DETAIL, page_context(canvas, request, **extra), status=status)


def render_board(request: HtmxHttpRequest, canvas_id: int, *, status: int = 200, **extra):
    """The whole canvas page, e.g. after a plain form post that failed validation."""
    return render_page(request, load_board(request, canvas_id), status=status, **extra)


def block_with_notes(canvas: Canvas, kind: str, extras: Extras) -> Block:
    notes = Note.objects.visible_to(canvas.viewer).order_by("position", "pk")
    block = Block.objects.prefetch_related(Prefetch("notes", queryset=notes)).get(
        canvas=canvas, kind=kind
    )
    block.canvas = canvas
    for note in block.live_notes:
        note.block = block
    extras.decorate(block.live_notes)
    return block


def render_blocks(
    request: HtmxHttpRequest, canvas: Canvas, kinds: set[str], focus_note_id=None, **extra
) -> HttpResponse:
    """Out-of-band note lists for the blocks a change touched (move, delete, restore)."""
    extras = Extras.load(canvas)
    blocks = [block_with_notes(canvas, kind, extras) for kind in POSTER_ORDER if kind in kinds]
    context = board_context(canvas, changed_blocks=blocks, **extra)
    response = render(request, f"{DETAIL}#changed-note-lists", context)
    if focus_note_id:
        # The page puts the keyboard focus back on the note that moved.
        trigger_client_event(response, "noteFocus", {"id": focus_note_id}, after="settle")
    return response


def render_note(request: HtmxHttpRequest, canvas: Canvas, note: Note, partial: str, **extra):
    """One note as a card (or `note-added`, appended to its list), with its decorations."""
    Extras.load(canvas).decorate([note])
    return render(request, f"{DETAIL}#{partial}", board_context(canvas, note=note, **extra))


def changed(response: HttpResponse, canvas: Canvas | None = None) -> HttpResponse:
    """Tell the page the canvas changed, so that what depends on it (the checks) refreshes,
    and at which revision (clients and bench/live.py match it with live events)."""
    trigger_client_event(response, "canvasChanged")
    if canvas is not None:
        response["X-Canvas-Revision"] = str(canvas.revision)
    return response
