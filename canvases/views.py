"""Canvas and note views: parse, authorize, validate, act through a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other
from canvas_site.live import new_tab

# The canvas page shows segments; segments never import views, so this does not cycle.
from segments.board import attach_segments, load_segments, segment_board  # noqa: E402
from segments.forms import NoteSegmentsForm  # noqa: E402
from segments.models import SegmentColour  # noqa: E402
from segments.services import set_note_segments  # noqa: E402

from . import services
from .access import (
    block_of,
    canvas_for,
    note_of,
    own_note_or_refuse,
    trashed_canvas_for,
)
from .forms import CanvasForm, NoteColourForm, NoteEditForm, NoteForm, NoteMoveForm
from .models import POSTER_ORDER, Block, Canvas, Note, NoteColour, Role
from .teams.access import membership_for
from .teams.session import remember_team
from .workshops import services as workshops
from .workshops.guests import member_or_guest
from .workshops.views import bar_context, running_workshop

DETAIL = "canvases/canvas_detail.html"


def changed(response: HttpResponse, canvas: Canvas | None = None) -> HttpResponse:
    """Tell the page the canvas changed, so that what depends on it (the checks) refreshes,
    and at which revision (clients and bench/live.py match it with live events)."""
    trigger_client_event(response, "canvasChanged")
    if canvas is not None:
        response["X-Canvas-Revision"] = str(canvas.revision)
    return response


def acting_user(request: HtmxHttpRequest):
    """The user behind a write, or None for a guest (history then says "a guest")."""
    return request.user if request.user.is_authenticated else None


def canvas_url(canvas: Canvas, anchor: str = "") -> str:
    url = reverse("canvases:canvas-detail", kwargs={"canvas_id": canvas.pk})
    return f"{url}#{anchor}" if anchor else url


def board_context(canvas: Canvas, **extra) -> dict:
    """What the canvas page and its partials need."""
    return {
        "canvas": canvas,
        "blocks": canvas.board(),
        "block_kinds": [(kind.value, kind.label) for kind in POSTER_ORDER],
        "colours": NoteColour.choices,
        "notes_url": reverse("canvases:canvas-detail", kwargs={"canvas_id": canvas.pk}) + "notes/",
        "can_edit": canvas.can_edit,
        "guest": getattr(canvas, "guest", None),
        "can_add": canvas.can_edit or getattr(canvas, "guest", None) is not None,
        # Defaults for what partials test: a missing variable costs an exception per lookup.
        "editing_note_id": None,
        "form_kind": None,
        "oob": False,
        **extra,
    }


def page_context(canvas: Canvas, request: HtmxHttpRequest, **extra) -> dict:
    """Everything on the canvas page: blocks with notes, segments, the lens and the checks."""
    context = board_context(canvas, **extra)
    context["segment_board"] = segment_board(canvas, context["blocks"], request.GET.get("lens"))
    context["tab"] = new_tab()
    context["segment_list"] = context["segment_board"].segments
    workshop = running_workshop(canvas.pk)
    context.update(bar_context(request, canvas, workshop))
    if workshop is not None and workshop.voting_open:
        mark_votable(context["blocks"], workshop, request)
    context["segment_colours"] = SegmentColour.choices
    context["canvas_url"] = canvas_url(canvas)
    return context


def mark_votable(blocks, workshop, request) -> None:
    """During dot voting, notes in scope get a vote button and the viewer's dots on them."""
    user = request.user if request.user.is_authenticated else None
    mine = workshops.my_dots(workshop, user=user, guest=getattr(request, "guest", None))
    for block in blocks:
        block.votable = not workshop.vote_block or workshop.vote_block == block.kind
        for note in block.live_notes:
            note.my_dots = mine.get(note.pk, 0)


def render_board(request: HtmxHttpRequest, canvas_id: int, *, status: int = 200, **extra):
    """The whole canvas page, e.g. after a plain form post that failed validation."""
    canvas = canvas_for(request.user, canvas_id, board=True, guest=request.guest)
    return render(request, DETAIL, page_context(canvas, request, **extra), status=status)


def block_with_notes(canvas: Canvas, kind: str) -> Block:
    notes = Note.objects.visible_to(canvas.viewer).order_by("position", "pk")
    block = Block.objects.prefetch_related(Prefetch("notes", queryset=notes)).get(
        canvas=canvas, kind=kind
    )
    block.canvas = canvas
    notes = block.live_notes
    for note in notes:
        note.block = block
    attach_segments(notes, load_segments(canvas), None)
    return block


def render_blocks(
    request: HtmxHttpRequest, canvas: Canvas, kinds: set[str], focus_note_id=None, **extra
) -> HttpResponse:
    """Out-of-band note lists for the blocks a change touched (move, delete, restore)."""
    blocks = [block_with_notes(canvas, kind) for kind in POSTER_ORDER if kind in kinds]
    context = board_context(canvas, changed_blocks=blocks, **extra)
    response = render(request, f"{DETAIL}#changed-note-lists", context)
    if focus_note_id:
        # app.js puts the keyboard focus back on the note that moved.
        trigger_client_event(response, "noteFocus", {"id": focus_note_id}, after="settle")
    return response


# Canvases


@require_safe
@login_required
@vary_on_headers("HX-Request")
def canvas_list(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id)
    remember_team(request, membership.team_id)
    query = request.GET.get("q", "").strip()
    canvases = (
        Canvas.objects.viewable_by(request.user)
        .filter(team=membership.team)
        .select_related("updated_by")
        .annotate(note_count=Count("blocks__notes", filter=Q(blocks__notes__deleted_at=None)))
    )
    if query:
        canvases = canvases.filter(title__icontains=query)
    context = {
        "team": membership.team,
        "membership": membership,
        "canvases": canvases,
        "query": query,
        "form": CanvasForm(),
    }
    template = "canvases/canvas_list.html"
    if is_partial(request) and request.htmx.target == "canvas-results":
        template += "#canvas-results"
    return render(request, template, context)


@require_POST
@login_required
def canvas_create(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.EDITOR)
    form = CanvasForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "canvases/canvas_list.html#canvas-create-form",
            {"team": membership.team, "membership": membership, "form": form},
            status=422,
        )
    canvas = services.create_canvas(
        team=membership.team,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        author=request.user,
    )
    return after_write(request, canvas_url(canvas))


@require_safe
@member_or_guest
def canvas_detail(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, board=True, guest=request.guest)
    if request.user.is_authenticated:
        remember_team(request, canvas.team_id)
    return render(request, DETAIL, page_context(canvas, request))


@require_safe
@member_or_guest
def canvas_checks(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The gap checks alone: re-fetched by the page whenever the canvas changed."""
    canvas = canvas_for(request.user, canvas_id, board=True, guest=request.guest)
    if not is_partial(request):
        return redirect(canvas_url(canvas))
    return render(request, f"{DETAIL}#checks-panel", page_context(canvas, request))


@require_safe
@member_or_guest
def canvas_board(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """Every note list, the segments, the lens and the checks, out of band: the page's refresh."""
    canvas = canvas_for(request.user, canvas_id, board=True, guest=request.guest)
    if not is_partial(request):
        return redirect(canvas_url(canvas))
    context = page_context(canvas, request)
    wanted = set(request.GET.get("blocks", "").split(",")) - {""}
    # Only the note lists that changed (a live update names them), or all of them.
    context["changed_blocks"] = [b for b in context["blocks"] if not wanted or b.kind in wanted]
    context["everything"] = not wanted
    response = render(request, f"{DETAIL}#board-refresh", context)
    response["X-Canvas-Revision"] = str(canvas.revision)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def canvas_edit(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    form = CanvasForm(request.POST or None, instance=canvas)
    template = "canvases/canvas_edit.html"
    partial = f"{DETAIL}#canvas-header-form"
    if request.method != "POST":
        return render(
            request, partial if is_partial(request) else template, {"canvas": canvas, "form": form}
        )
    if not form.is_valid():
        canvas.refresh_from_db(fields=["title", "description"])
        chosen = partial if is_partial(request) else template
        return render(request, chosen, {"canvas": canvas, "form": form}, status=422)
    services.update_canvas(canvas=canvas, actor=request.user, **form.cleaned_data)
    if is_partial(request):
        response = render(request, f"{DETAIL}#canvas-header", {"canvas": canvas})
        # The focus count may have changed: the segment list and checks follow.
        trigger_client_event(response, "segmentsChanged")
        return response
    return see_other(canvas_url(canvas))


@require_safe
@login_required
def canvas_header(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The canvas title bar: where Esc in the rename form goes back to."""
    canvas = canvas_for(request.user, canvas_id)
    if not is_partial(request):
        return redirect(canvas_url(canvas))
    return render(request, f"{DETAIL}#canvas-header", {"canvas": canvas})


@require_POST
@login_required
def canvas_duplicate(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    copy = services.duplicate_canvas(canvas=canvas, actor=request.user)
    messages.success(request, f"“{canvas.title}” was duplicated. You are looking at the copy.")
    return after_write(request, canvas_url(copy))


@require_POST
@login_required
def canvas_delete(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.OWNER)
    services.trash_canvas(canvas=canvas, actor=request.user)
    messages.success(
        request, f"“{canvas.title}” is in the trash. Restore it from there within 30 days."
    )
    list_url = reverse("canvases:canvas-list", kwargs={"team_id": canvas.team_id})
    return after_write(request, list_url)


@require_POST
@login_required
def canvas_restore(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = trashed_canvas_for(request.user, canvas_id)
    services.restore_canvas(canvas=canvas, actor=request.user)
    messages.success(request, f"“{canvas.title}” is back.")
    return after_write(request, canvas_url(canvas))


@require_safe
@login_required
def team_trash(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.OWNER)
    canvases = (
        Canvas.objects.of_member(request.user)
        .in_trash()
        .filter(team=membership.team)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    context = {"team": membership.team, "membership": membership, "canvases": canvases}
    return render(request, "canvases/team_trash.html", context)


@require_safe
@login_required
def canvas_trash(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    notes = (
        Note.objects.of_canvas(canvas)
        .readable_by(canvas.viewer)
        .in_trash()
        .select_related("block", "deleted_by")
        .order_by("-deleted_at")
    )
    return render(request, "canvases/canvas_trash.html", {"canvas": canvas, "notes": notes})


# Notes


@require_POST
@member_or_guest
def note_create(request: HtmxHttpRequest, canvas_id: int, block_kind: str) -> HttpResponse:
    canvas = canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )
    block = block_of(canvas, block_kind)
    form = NoteForm(request.POST)
    if not form.is_valid():
        if not is_partial(request):
            return render_board(request, canvas.pk, status=422, form=form, form_kind=block.kind)
        block.canvas = canvas
        context = board_context(canvas, block=block, form=form, form_kind=block.kind)
        response = render(request, f"{DETAIL}#note-add-form", context, status=422)
        return reswap(retarget(response, f"#note-add-{block.kind}"), "outerHTML")
    note = services.add_note(
        block=block,
        text=form.cleaned_data["text"],
        colour=form.cleaned_data["colour"],
        author=request.user if request.user.is_authenticated else None,
        guest=request.guest,
    )
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"block-{block.kind}"))
    # Only the new note, appended to its list: the cost stays the same however full the
    # block is (a workshop of sixty people writes into one block at once).
    attach_segments([note], load_segments(canvas), None)
    response = render(request, f"{DETAIL}#note-added", board_context(canvas, note=note))
    return changed(response, canvas)


@require_safe
@member_or_guest
def note_detail(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    """A single note card: what Esc in the editor goes back to."""
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    note = note_of(canvas, note_id)
    if not is_partial(request):
        return redirect(canvas_url(canvas, f"note-{note.pk}"))
    return render_note_card(request, canvas, note)


def render_note_card(request: HtmxHttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    attach_segments([note], load_segments(canvas), None)
    return render(request, f"{DETAIL}#note-card", board_context(canvas, note=note))


@require_http_methods(["GET", "HEAD", "POST"])
@member_or_guest
@vary_on_headers("HX-Request")
def note_edit(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )
    note = note_of(canvas, note_id, trashed=None if request.method == "POST" else False)
    own_note_or_refuse(canvas, note)
    if request.method != "POST":
        form = NoteEditForm(initial={"text": note.text, "version": note.version})
        return respond_note_editor(request, canvas, note, form)
    form = NoteEditForm(request.POST)
    if note.deleted_at is not None and form.is_valid():
        # Edit versus delete: keep the draft and offer to add it again.
        return respond_conflict(request, canvas, note, form, services.NoteConflict(None))
    segments_form = NoteSegmentsForm(request.POST, canvas=canvas)
    if not form.is_valid() or not segments_form.is_valid():
        errors = segments_form.errors.get("segments")
        return respond_note_editor(
            request, canvas, note, form, status=422, segments_error=errors[0] if errors else ""
        )
    colour = request.POST.get("colour")
    try:
        services.edit_note(
            note=note,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            actor=acting_user(request),
        )
    except services.NoteConflict as conflict:
        return respond_conflict(request, canvas, note, form, conflict)
    if colour in NoteColour.values and colour != note.colour:
        services.recolour_note(note=note, colour=NoteColour(colour), actor=acting_user(request))
    if "segments_shown" in request.POST and request.user.is_authenticated:
        set_note_segments(
            note=note, segments=segments_form.cleaned_data["segments"], actor=acting_user(request)
        )
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_note_card(request, canvas, note), canvas)


def respond_note_editor(request, canvas, note, form, *, status: int = 200, **extra):
    """The editor alone for htmx; the whole canvas with this note open for a plain request."""
    segments = load_segments(canvas)
    if request.method == "POST":
        chosen = set(request.POST.getlist("segments"))
    else:
        chosen = {str(pk) for pk in note.segments.values_list("pk", flat=True)}
    extra["segment_choices"] = [(segment, segment.ref in chosen) for segment in segments]
    if is_partial(request):
        context = board_context(canvas, note=note, edit_form=form, **extra)
        return render(request, f"{DETAIL}#note-editor", context, status=status)
    return render_board(
        request, canvas.pk, status=status, editing_note_id=note.pk, edit_form=form, **extra
    )


def respond_conflict(request, canvas, note, form, conflict: services.NoteConflict):
    """409: show what the note says now next to the draft, which stays in the form."""
    current = conflict.current
    if current is None:
        return respond_note_editor(request, canvas, note, form, status=409, conflict_deleted=True)
    draft = NoteEditForm(initial={"text": form.cleaned_data["text"], "version": current.version})
    return respond_note_editor(
        request, canvas, current, draft, status=409, conflict_text=current.text
    )


@require_POST
@member_or_guest
def note_colour(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )
    note = note_of(canvas, note_id)
    own_note_or_refuse(canvas, note)
    form = NoteColourForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["colour"][0], status=422, content_type="text/plain")
    services.recolour_note(
        note=note, colour=NoteColour(form.cleaned_data["colour"]), actor=acting_user(request)
    )
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_note_card(request, canvas, note), canvas)


def destination(note: Note, form: NoteMoveForm) -> tuple[str, int]:
    """Turn a move request (explicit place or a step) into a block kind and a position."""
    step = form.cleaned_data.get("step")
    if not step:
        position = form.cleaned_data.get("position")
        return form.cleaned_data["block"], 10**6 if position is None else position
    here = services.index_in_block(note)
    if step in ("up", "down"):
        return note.block.kind, max(0, here - 1) if step == "up" else here + 1
    order = [kind.value for kind in POSTER_ORDER]
    shift = -1 if step == "previous-block" else 1
    return order[(order.index(note.block.kind) + shift) % len(order)], 10**6


@require_POST
@login_required
def note_move(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    note = note_of(canvas, note_id)
    form = NoteMoveForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponse(message, status=422, content_type="text/plain")
    draft = NoteEditForm(request.POST)
    if "text" in request.POST and draft.is_valid() and draft.cleaned_data["text"] != note.text:
        # Moving from an open editor: save what was typed so nothing is lost.
        try:
            services.edit_note(
                note=note,
                text=draft.cleaned_data["text"],
                version=draft.cleaned_data["version"],
                actor=request.user,
            )
        except services.NoteConflict as conflict:
            return respond_conflict(request, canvas, note, draft, conflict)
    from_kind = note.block.kind
    kind, position = destination(note, form)
    try:
        services.move_note(
            note=note, to_block=block_of(canvas, kind), position=position, actor=request.user
        )
    except services.NoteConflict:
        message = "Someone deleted this note meanwhile: restore it from the deleted notes first."
        return HttpResponse(message, status=409, content_type="text/plain")
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_blocks(request, canvas, {from_kind, kind}, focus_note_id=note.pk), canvas)


@require_POST
@member_or_guest
def note_delete(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )
    note = note_of(canvas, note_id)
    own_note_or_refuse(canvas, note)
    services.trash_note(note=note, actor=acting_user(request))
    if not is_partial(request):
        messages.success(request, "Note deleted. You can restore it from the canvas's trash.")
        return see_other(canvas_url(canvas, f"block-{note.block.kind}"))
    return changed(render_blocks(request, canvas, {note.block.kind}, deleted_note=note), canvas)


@require_POST
@member_or_guest
def note_restore(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )
    note = note_of(canvas, note_id, trashed=True)
    own_note_or_refuse(canvas, note)
    services.restore_note(note=note, actor=acting_user(request))
    if not is_partial(request) or request.htmx.current_url_abs_path != canvas_url(canvas):
        messages.success(request, "Note restored.")
        return after_write(request, canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_blocks(request, canvas, {note.block.kind}, focus_note_id=note.pk), canvas)
