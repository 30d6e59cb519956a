"""Workshop views: start, join (link or code), the live workshop bar, facilitator controls,
dot voting, the summary (page and PDF), and a canvas's past workshops."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from canvas_site import pdf
from canvas_site.errors import busy
from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other
from canvases import throttles
from canvases.access import canvas_for, note_of
from canvases.live.presence import guest_name
from canvases.models import POSTER_ORDER, BlockKind, Note, Role, Viewer, Vote, Workshop
from canvases.page import DETAIL, load_board, page_context

from . import services as service
from . import voting
from .access import (
    facilitated_workshop,
    guest_of,
    running_workshop_by_code,
    summarised_workshop,
    voting_workshop,
    workshop_by_link,
    workshops_of,
)
from .bar import bar_context, running_workshop
from .forms import CodeForm, ControlForm, JoinForm, StartForm
from .guests import SESSION_KEY, member_or_guest

BAR = "canvases/workshops/bar.html"
CODE_ATTEMPTS, CODE_WINDOW = 10, 600  # wrong codes per address per ten minutes


def canvas_url(canvas_id: int) -> str:
    return reverse("canvases:canvas-detail", args=[canvas_id])


@require_POST
@login_required
def workshop_start(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    form = StartForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "Check the workshop's title and expiry.", status=422, content_type="text/plain"
        )
    try:
        service.start_workshop(
            canvas=canvas, facilitator=request.user,
            title=form.cleaned_data["title"], hours=form.cleaned_data["hours"] or None,
        )  # fmt: skip
    except service.WorkshopError as error:
        messages.error(request, str(error))
    return after_write(request, canvas_url(canvas.pk))


@require_safe
@member_or_guest
def workshop_bar(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The workshop bar: timer, focus, voting, private writing, controls for the facilitator."""
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    context = {**bar_context(request, canvas, running_workshop(canvas.pk)), "oob": True}
    return render(request, BAR, context)


@require_POST
@login_required
def workshop_control(request: HtmxHttpRequest, workshop_id: int) -> HttpResponse:
    """The facilitator's controls (one form, a button per verb); every page follows live."""
    workshop, canvas = facilitated_workshop(request.user, workshop_id)
    form = ControlForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.first_error(), status=422, content_type="text/plain")
    action = form.cleaned_data["action"]
    try:
        CONTROLS[action](workshop, form.cleaned_data, request.user)
    except service.WorkshopError as error:
        return HttpResponse(str(error), status=422, content_type="text/plain")
    if action == "end":
        messages.success(request, "The workshop has ended; guests can no longer open the canvas.")
        return after_write(request, reverse("canvases:workshop-summary", args=[workshop.pk]))
    if not is_partial(request):
        return see_other(canvas_url(canvas.pk))
    context = {**bar_context(request, canvas, running_workshop(canvas.pk)), "oob": True}
    return render(request, BAR, context)


def revoke_guest(workshop: Workshop, data: dict, actor) -> None:
    guest = guest_of(workshop, data["guest"])
    if guest is None:
        raise service.WorkshopError("No such guest in this workshop.")
    service.revoke(guest=guest, actor=actor)


# Each control of the bar: the verb it calls, with what the form parsed.
CONTROLS = {
    "timer-start": lambda w, d, a: service.start_timer(workshop=w, minutes=d["minutes"], actor=a),
    "timer-pause": lambda w, d, a: service.pause_timer(workshop=w, actor=a),
    "timer-resume": lambda w, d, a: service.resume_timer(workshop=w, actor=a),
    "timer-add": lambda w, d, a: service.add_minute(workshop=w, actor=a),
    "focus": lambda w, d, a: service.set_focus(workshop=w, block=d["block"], actor=a),
    "private-on": lambda w, d, a: service.start_private_writing(workshop=w, actor=a),
    "reveal": lambda w, d, a: service.reveal(workshop=w, actor=a),
    "anonymous-on": lambda w, d, a: service.set_anonymous(workshop=w, anonymous=True, actor=a),
    "anonymous-off": lambda w, d, a: service.set_anonymous(workshop=w, anonymous=False, actor=a),
    "voting-open": lambda w, d, a: service.open_voting(
        workshop=w, block=d["vote_block"], budget=d["budget"], actor=a
    ),
    "voting-close": lambda w, d, a: service.close_voting(workshop=w, actor=a),
    "room-on": lambda w, d, a: service.vote_for_the_room(
        workshop=w, on=True, budget=d["room_budget"], actor=a
    ),
    "room-off": lambda w, d, a: service.vote_for_the_room(workshop=w, on=False, budget=0, actor=a),
    "lock": lambda w, d, a: service.lock(workshop=w, actor=a),
    "unlock": lambda w, d, a: service.unlock(workshop=w, actor=a),
    "end": lambda w, d, a: service.end(workshop=w, actor=a),
    "revoke": revoke_guest,
}


@require_POST
@member_or_guest
def note_vote(
    request: HtmxHttpRequest, workshop_id: int, note_id: int, direction: str
) -> HttpResponse:
    """Put a dot on a note, or take one back (members and guests of the workshop)."""
    workshop, canvas = voting_workshop(request.user, request.guest, workshop_id)
    note = note_of(canvas, note_id)
    user = request.user if request.user.is_authenticated else None
    # The facilitator voting for the room puts the dot on the room's ballot.
    room = workshop.room_voting and user is not None and user.pk == workshop.facilitator_id
    voter = {"user": user, "guest": request.guest, "room": room}
    try:
        if direction == "up":
            voting.vote(workshop=workshop, note=note, **voter)
        else:
            voting.unvote(workshop=workshop, note=note, **voter)
    except service.WorkshopError as error:
        return HttpResponse(str(error), status=422, content_type="text/plain")
    if not is_partial(request):
        return see_other(canvas_url(canvas.pk) + f"#note-{note.pk}")
    return voters_view(request, canvas.pk, note.block.kind)


def voters_view(request: HtmxHttpRequest, canvas_id: int, block_kind: str) -> HttpResponse:
    """The voter's dots on the block's notes and in the bar, out of band: the only page a dot
    changes (nobody sees another's dots before the results), so nothing is published."""
    context = page_context(load_board(request, canvas_id), request, lists_oob=True)
    context.update(everything=False)
    context["changed_blocks"] = [block for block in context["blocks"] if block.kind == block_kind]
    return render(request, f"{DETAIL}#board-refresh", context)


# Joining


def enter(request, workshop: Workshop, name: str) -> HttpResponse:
    guest = service.join(workshop=workshop, display_name=name)
    request.session.cycle_key()  # a fresh session for the new guest
    request.session[SESSION_KEY] = guest.pk
    return redirect(canvas_url(workshop.canvas_id))


def closed_page(request, reason: str, status: int = 404) -> HttpResponse:
    return render(request, "canvases/workshops/closed.html", {"reason": reason}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_join(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Join through the link: a display name is all a guest gives."""
    workshop = workshop_by_link(token)
    if workshop is None:
        return closed_page(
            request, "This workshop link is not valid. Ask the facilitator for it again."
        )
    if not workshop.is_running:
        return closed_page(request, "This workshop has ended or expired.", status=410)
    if request.user.is_authenticated:
        return redirect(canvas_url(workshop.canvas_id))
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return enter(request, workshop, form.cleaned_data["display_name"])
    status = 422 if request.method == "POST" else 200
    return render(
        request, "canvases/workshops/join.html", {"workshop": workshop, "form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_join_code(request: HtmxHttpRequest) -> HttpResponse:
    """Join with the short code read out in the room; wrong codes are limited per address,
    counted before they are checked, so that a burst of guesses gets no further than the
    limit in any process."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        key = f"join-code:{throttles.client_address(request)}"
        if throttles.over_limit(key, limit=CODE_ATTEMPTS, window=CODE_WINDOW):
            error = "Too many wrong codes: wait ten minutes and try again."
            context = {"form": form, "by_code": True, "error": error}
            return render(request, "canvases/workshops/join.html", context, status=429)
        workshop = None
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            workshop = running_workshop_by_code(code)
            if workshop is None:
                form.add_error("code", "No running workshop has this code.")
        if workshop is not None or "code" not in form.errors:
            throttles.counts().give_back(key)  # only a wrong code counts against the limit
        if workshop is not None:
            return enter(request, workshop, form.cleaned_data["display_name"])
    status = 422 if request.method == "POST" else 200
    return render(
        request, "canvases/workshops/join.html", {"form": form, "by_code": True}, status=status
    )


# Summary


def summary_context(workshop: Workshop, viewer: Viewer) -> dict:
    """Who took part, the notes of the workshop by block (added during it, or voted on in
    it) with their dots, and each round's ranking: what `viewer` may read of them."""
    notes = summary_notes(workshop, viewer)
    guests = list(workshop.guests.all())
    for guest in guests:  # a name typed before the join form dropped "(guest)": say it once
        guest.display_name = guest_name(guest.display_name)
    by_block: dict[BlockKind, list[Note]] = {kind: [] for kind in POSTER_ORDER}
    for note in notes:
        by_block[BlockKind(note.block.kind)].append(note)
    per_block = [(kind.label, sum(n.added for n in found)) for kind, found in by_block.items()]
    return {
        "workshop": workshop,
        "canvas": workshop.canvas,
        "guests": guests,
        "per_block": per_block,
        "total": sum(count for _, count in per_block),
        "notes_by_block": [(kind.label, found) for kind, found in by_block.items() if found],
        "rounds": [
            (number, voting.results(workshop, viewer, number))
            for number in range(workshop.voting_round, 0, -1)
        ],
    }


def summary_notes(workshop: Workshop, viewer: Viewer) -> list[Note]:
    added = Q(created_at__gte=workshop.started_at)
    if workshop.ended_at:
        added &= Q(created_at__lte=workshop.ended_at)
    votes = Vote.objects.filter(workshop=workshop)
    dots = votes.filter(note=OuterRef("pk")).values("note").annotate(n=Count("pk")).values("n")
    notes = (
        Note.objects.visible_to(viewer)
        .filter(block__canvas_id=workshop.canvas_id)
        .filter(added | Q(pk__in=votes.values("note")))
        .select_related("block", "author", "guest")
        .annotate(dots=Coalesce(Subquery(dots), 0))
        .order_by("position", "pk")
    )
    notes = list(notes)
    for note in notes:
        note.added = note.created_at >= workshop.started_at and (
            workshop.ended_at is None or note.created_at <= workshop.ended_at
        )
        note.by = note_author(note, workshop)
    return notes


def note_author(note: Note, workshop: Workshop) -> str:
    """Who wrote a note, as the summary names them (an anonymous workshop's guests: nobody)."""
    if note.guest_id:
        return "a guest" if workshop.anonymous else f"{guest_name(note.guest.display_name)} (guest)"
    return note.author.get_username() if note.author_id else ""


@require_safe
@login_required
@vary_on_headers("HX-Request")
def workshop_list(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The workshops run on a canvas, newest first: title, dates, guests, summary."""
    workshops, canvas = workshops_of(request.user, canvas_id)
    template = "canvases/workshops/workshop_list.html"
    if is_partial(request):
        template += "#workshop-table"
    return render(request, template, {"canvas": canvas, "workshops": workshops})


@require_safe
@login_required
def workshop_summary(request: HtmxHttpRequest, workshop_id: int) -> HttpResponse:
    workshop, canvas = summarised_workshop(request.user, workshop_id)
    context = summary_context(workshop, canvas.viewer)
    return render(request, "canvases/workshops/summary.html", context)


@require_safe
@login_required
def workshop_summary_pdf(request: HtmxHttpRequest, workshop_id: int) -> HttpResponse:
    workshop, canvas = summarised_workshop(request.user, workshop_id)
    context = {**summary_context(workshop, canvas.viewer), "for_pdf": True}
    html = render(request, "canvases/workshops/summary_pdf.html", context).content.decode()
    try:
        rendered = pdf.render_with_limit(html)
    except pdf.RenderError as error:
        return busy(request, str(error), retry_after=error.retry_after)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = slugify(workshop.canvas.title) or "workshop"
    response["Content-Disposition"] = f'attachment; filename="{name}-workshop-summary.pdf"'
    return response
