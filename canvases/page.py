"""The canvas page's one assembler: every view that shows the board, a block or a note comes
through here, so that each shows the notes its viewer may read, what the registered
extensions add (canvases.registry), the workshop bar and the live tab, the same way."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django_htmx.http import trigger_client_event

from canvas_site.htmx import HtmxHttpRequest
from canvas_site.live import new_tab

from .access import canvas_for
from .models import POSTER_ORDER, Block, Canvas, Guest, Note, NoteColour, Workshop
from .registry import Extras, extensions
from .workshops.bar import bar_context, mark_votable, running_workshop

DETAIL = "canvases/canvas_detail.html"
LIST_CACHE_SECONDS = 600  # a canvas's revision moves on with every change: entries go stale


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
        "show_authors": False,
        "editing_note_id": None,
        "form_kind": None,
        "oob": False,
        **extra,
    }


def page_context(
    canvas: Canvas, request: HtmxHttpRequest, *, lists_oob: bool = False, **extra
) -> dict:
    """Everything on the canvas page: blocks with notes, extensions' panels, the workshop.
    Note lists come from the cache of rendered lists when they can (`lists_oob`: the lists
    are for a refresh, sent out of band)."""
    lens = request.GET.get("lens")
    context = board_parts(canvas, lens=lens)
    blocks, workshop = context["blocks"], context["workshop"]
    if canvas.share is not None:
        # A share link's holder reads the canvas: no workshop bar, no dots, no stream.
        context.update(extra, live_push=False)
        if not lens:
            share_lists(canvas, context, oob=lists_oob)
        return context
    context.update(bar_context(request, canvas, workshop))
    # The stream pushes what a page of the viewer's kind shows: not a facilitator's preview.
    context["live_push"] = settings.LIVE_PUSH and not context.get("as_guest")
    if workshop is not None and workshop.voting_open:
        mark_votable(blocks, workshop, request)
    context.update(extra)
    if not lens and not (workshop and workshop.voting_open):
        share_lists(canvas, context, oob=lists_oob)
    return context


def board_parts(canvas: Canvas, *, lens: str | None = None) -> dict:
    """What every viewer's page shows of the board (`canvas` comes with it, canvas_for's
    `board`): blocks with decorated notes, the extensions' panels, the running workshop."""
    blocks = canvas.board()
    extras = Extras.load(canvas, lens=lens)
    notes = [note for block in blocks for note in block.live_notes]
    for block in blocks:
        for note in block.live_notes:
            note.block = block
    extras.decorate(notes)
    context = board_context(canvas, blocks=blocks, tab=new_tab(), panels=panels(blocks))
    context.update(extras.context(canvas, blocks))
    workshop = running_workshop(canvas.pk)
    show_authors = shows_authors(workshop) and canvas.shows_member_names
    if show_authors:
        label_authors(notes, workshop)
    context.update(workshop=workshop, show_authors=show_authors)
    return context


def share_lists(canvas: Canvas, context: dict, *, oob: bool) -> None:
    """Each block's note list from the cache of rendered lists, where it may be shared."""
    for block in context["blocks"]:
        if may_share(block, context):
            block.list_html = shared_note_list(canvas, block, context, oob=oob)


def label_authors(notes: list[Note], workshop: Workshop | None) -> None:
    """Who wrote each note, as its card says during a workshop that is not anonymous. The
    names come here, in one query per kind of author and only then: loading every note's
    author with the board would double the objects a 450-note page builds."""
    if not shows_authors(workshop):
        return
    members = {note.author_id for note in notes if note.author_id}
    guests = {note.guest_id for note in notes if note.guest_id}
    usernames = dict(
        get_user_model()
        .objects.filter(pk__in=members)
        .values_list("pk", get_user_model().USERNAME_FIELD)
    ) if members else {}  # fmt: skip
    guest_names = (
        dict(Guest.objects.filter(pk__in=guests).values_list("pk", "display_name"))
        if guests
        else {}
    )
    for note in notes:
        if note.guest_id:
            note.author_label = guest_names.get(note.guest_id, "")
        else:
            note.author_label = usernames.get(note.author_id, "")


def shows_authors(workshop: Workshop | None) -> bool:
    return workshop is not None and not workshop.anonymous


def viewer_kind(canvas: Canvas) -> str:
    """What makes one person's note lists differ from another's: editing, being a guest, or
    reading through a share link (with or without the members' names)."""
    if canvas.can_edit:
        return "editor"
    if canvas.share is not None:
        return "share-names" if canvas.share.show_member_names else "share"
    return "guest" if getattr(canvas, "guest", None) is not None else "viewer"


def may_share(block: Block, context: dict) -> bool:
    """A list is the same for every viewer of a kind unless it holds the viewer's own hidden
    notes (private writing) or the note the page opens in its editor."""
    editing = context.get("editing_note_id")
    return not any(note.hidden or note.pk == editing for note in block.live_notes)


def shared_note_list(canvas: Canvas, block: Block, context: dict, *, oob: bool) -> SafeString:
    """A block's note list rendered once per canvas revision and kind of viewer, and served
    from the cache (per process, or Redis with REDIS_URL) to every page that shows it."""
    # The canvas's creation time too: SQLite may give a purged canvas's id to a new one.
    born = int(canvas.created_at.timestamp() * 1000)
    key = f"note-list:{canvas.pk}:{born}:{canvas.revision}:{block.kind}:{viewer_kind(canvas)}"
    key += ":oob" if oob else ""
    html = cache.get(key)
    if html is None:
        html = render_to_string(f"{DETAIL}#note-list", {**context, "block": block, "oob": oob})
        cache.set(key, html, LIST_CACHE_SECONDS)
    return mark_safe(html)  # rendered by the template above, which escaped what users wrote


def load_board(request: HtmxHttpRequest, canvas_id: int) -> Canvas:
    return canvas_for(request.user, canvas_id, board=True, guest=request.guest, share=request.share)


def render_page(request: HtmxHttpRequest, canvas: Canvas, *, status: int = 200, **extra):
    return render(request, DETAIL, page_context(canvas, request, **extra), status=status)


def render_board(request: HtmxHttpRequest, canvas_id: int, *, status: int = 200, **extra):
    """The whole canvas page, e.g. after a plain form post that failed validation."""
    return render_page(request, load_board(request, canvas_id), status=status, **extra)


def block_with_notes(canvas: Canvas, kind: str, extras: Extras) -> Block:
    notes = Note.objects.visible_to(canvas.viewer).with_comment_counts().order_by("position", "pk")
    block = Block.objects.prefetch_related(Prefetch("notes", queryset=notes)).get(
        canvas=canvas, kind=kind
    )
    block.canvas = canvas
    for note in block.live_notes:
        note.block = block
    extras.decorate(block.live_notes)
    label_authors(block.live_notes, running_workshop(canvas.pk))
    return block


def render_blocks(
    request: HtmxHttpRequest, canvas: Canvas, kinds: set[str], focus_note_id=None, **extra
) -> HttpResponse:
    """Out-of-band note lists for the blocks a change touched (move, delete, restore)."""
    extras = Extras.load(canvas)
    blocks = [block_with_notes(canvas, kind, extras) for kind in POSTER_ORDER if kind in kinds]
    show_authors = shows_authors(running_workshop(canvas.pk))
    context = board_context(canvas, changed_blocks=blocks, show_authors=show_authors, **extra)
    response = render(request, f"{DETAIL}#changed-note-lists", context)
    if focus_note_id:
        # The page puts the keyboard focus back on the note that moved.
        trigger_client_event(response, "noteFocus", {"id": focus_note_id}, after="settle")
    return response


def render_note(request: HtmxHttpRequest, canvas: Canvas, note: Note, partial: str, **extra):
    """One note as a card (or `note-added`, appended to its list), with its decorations."""
    Extras.load(canvas).decorate([note])
    count_comments(note)
    workshop = running_workshop(canvas.pk)
    label_authors([note], workshop)
    context = board_context(canvas, note=note, show_authors=shows_authors(workshop), **extra)
    return render(request, f"{DETAIL}#{partial}", context)


def count_comments(note: Note) -> None:
    """The card's comment badge, for a note that came without the board's annotation."""
    if not hasattr(note, "comment_count"):
        counts = Note.objects.with_comment_counts().filter(pk=note.pk)
        row = counts.values("comment_count", "thread_resolved_at").first() or {}
        note.comment_count = row.get("comment_count", 0)
        note.thread_resolved_at = row.get("thread_resolved_at")


def changed(response: HttpResponse, canvas: Canvas | None = None) -> HttpResponse:
    """Tell the page the canvas changed, so that what depends on it (the checks) refreshes,
    and at which revision (clients and bench/live.py match it with live events)."""
    trigger_client_event(response, "canvasChanged")
    if canvas is not None:
        response["X-Canvas-Revision"] = str(canvas.revision)
    return response
