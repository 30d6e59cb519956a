"""Note views: add, show, edit (text, colour and the extensions' fields in one save), move,
delete and restore. Each the same shape: parse, authorize, validate, act, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other

from . import registry, services
from .access import block_of, canvas_for, note_of, own_note_or_refuse
from .forms import NoteColourForm, NoteEditForm, NoteForm, NoteMoveForm
from .models import POSTER_ORDER, Canvas, Note, NoteColour, Role
from .page import (
    DETAIL,
    board_context,
    canvas_url,
    changed,
    render_blocks,
    render_board,
    render_note,
)
from .workshops.guests import member_or_guest

CONFLICT_DELETED = "Someone deleted this note meanwhile: restore it from the deleted notes first."


def acting_user(request: HtmxHttpRequest):
    """The user behind a write, or None for a guest (history then says "a guest")."""
    return request.user if request.user.is_authenticated else None


def writable_canvas(request: HtmxHttpRequest, canvas_id: int) -> Canvas:
    """Editors write any note; a workshop's guests write their own."""
    return canvas_for(
        request.user, canvas_id, at_least=Role.EDITOR, guest=request.guest, guests_may=True
    )


@require_POST
@member_or_guest
def note_create(request: HtmxHttpRequest, canvas_id: int, block_kind: str) -> HttpResponse:
    canvas = writable_canvas(request, canvas_id)
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
        author=acting_user(request),
        guest=request.guest,
    )
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"block-{block.kind}"))
    # Only the new note, appended to its list: the cost stays the same however full the
    # block is (a workshop of sixty people writes into one block at once).
    return changed(render_note(request, canvas, note, "note-added"), canvas)


@require_safe
@member_or_guest
def note_detail(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    """A single note card: what Esc in the editor goes back to."""
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    note = note_of(canvas, note_id)
    if not is_partial(request):
        return redirect(canvas_url(canvas, f"note-{note.pk}"))
    return render_note(request, canvas, note, "note-card")


def editor_fields(canvas: Canvas, note: Note, data=None) -> list[registry.EditorField]:
    return [
        field
        for extension in registry.extensions()
        for field in extension.editor_fields(canvas, note, data=data)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@member_or_guest
@vary_on_headers("HX-Request")
def note_edit(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = writable_canvas(request, canvas_id)
    note = note_of(canvas, note_id, trashed=None if request.method == "POST" else False)
    own_note_or_refuse(canvas, note)
    if request.method != "POST":
        form = NoteEditForm(initial={"text": note.text, "version": note.version})
        return respond_note_editor(request, canvas, note, form, editor_fields(canvas, note))
    form = NoteEditForm(request.POST)
    fields = editor_fields(canvas, note, request.POST)
    if note.deleted_at is not None and form.is_valid():
        # Edit versus delete: keep the draft and offer to add it again.
        return respond_conflict(request, canvas, note, form, fields, services.NoteConflict(None))
    if not form.is_valid() or any(field.error for field in fields):
        return respond_note_editor(request, canvas, note, form, fields, status=422)
    colour = request.POST.get("colour")
    try:
        note = services.edit_note(
            note=note,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            colour=colour if colour in NoteColour.values else None,
            fields={field.name: field.value for field in fields if field.value is not None},
            actor=acting_user(request),
        )
    except services.NoteConflict as conflict:
        return respond_conflict(request, canvas, note, form, fields, conflict)
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_note(request, canvas, note, "note-card"), canvas)


def respond_note_editor(request, canvas, note, form, fields, *, status: int = 200, **extra):
    """The editor alone for htmx; the whole canvas with this note open for a plain request."""
    if is_partial(request):
        context = board_context(canvas, note=note, edit_form=form, note_fields=fields, **extra)
        return render(request, f"{DETAIL}#note-editor", context, status=status)
    return render_board(
        request,
        canvas.pk,
        status=status,
        editing_note_id=note.pk,
        edit_form=form,
        note_fields=fields,
        **extra,
    )


def respond_conflict(request, canvas, note, form, fields, conflict: services.NoteConflict):
    """409: show what the note says now next to the draft, which stays in the form."""
    current = conflict.current
    if current is None:
        return respond_note_editor(
            request, canvas, note, form, fields, status=409, conflict_deleted=True
        )
    draft = NoteEditForm(initial={"text": form.cleaned_data["text"], "version": current.version})
    return respond_note_editor(
        request, canvas, current, draft, fields, status=409, conflict_text=current.text
    )


@require_POST
@member_or_guest
def note_colour(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = writable_canvas(request, canvas_id)
    note = note_of(canvas, note_id)
    own_note_or_refuse(canvas, note)
    form = NoteColourForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["colour"][0], status=422, content_type="text/plain")
    note = services.edit_note(
        note=note,
        text=note.text,
        version=note.version,
        colour=form.cleaned_data["colour"],
        actor=acting_user(request),
    )
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_note(request, canvas, note, "note-card"), canvas)


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
    # Moving from an open editor carries what was typed, saved with the move: nothing lost.
    draft = NoteEditForm(request.POST)
    typed = draft.cleaned_data if "text" in request.POST and draft.is_valid() else {}
    from_kind = note.block.kind
    kind, position = destination(note, form)
    try:
        services.move_note(
            note=note,
            to_block=block_of(canvas, kind),
            position=position,
            actor=request.user,
            text=typed.get("text"),
            version=typed.get("version"),
        )
    except services.NoteConflict as conflict:
        if conflict.current is None:
            return HttpResponse(CONFLICT_DELETED, status=409, content_type="text/plain")
        return respond_conflict(request, canvas, note, draft, [], conflict)
    if not is_partial(request):
        return see_other(canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_blocks(request, canvas, {from_kind, kind}, focus_note_id=note.pk), canvas)


@require_POST
@member_or_guest
def note_delete(request: HtmxHttpRequest, canvas_id: int, note_id: int) -> HttpResponse:
    canvas = writable_canvas(request, canvas_id)
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
    canvas = writable_canvas(request, canvas_id)
    note = note_of(canvas, note_id, trashed=True)
    own_note_or_refuse(canvas, note)
    services.restore_note(note=note, actor=acting_user(request))
    if not is_partial(request) or request.htmx.current_url_abs_path != canvas_url(canvas):
        messages.success(request, "Note restored.")
        return after_write(request, canvas_url(canvas, f"note-{note.pk}"))
    return changed(render_blocks(request, canvas, {note.block.kind}, focus_note_id=note.pk), canvas)
