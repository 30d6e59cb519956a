"""Workshop views: start, join (link or code), the live workshop bar, facilitator controls,
dot voting, and the summary (page and PDF)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from canvas_site import pdf
from canvas_site.errors import busy
from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other
from canvas_site.text import TextField
from canvases import throttles
from canvases.access import canvas_for, note_of
from canvases.models import POSTER_ORDER, BlockKind, Note, Role, Viewer, Workshop

from . import services as service
from .bar import bar_context, running_workshop
from .guests import SESSION_KEY, member_or_guest

BAR = "canvases/workshops/bar.html"
CODE_ATTEMPTS, CODE_WINDOW = 10, 600  # wrong codes per address per ten minutes


class StartForm(forms.Form):
    title = forms.CharField(max_length=120, required=False)
    hours = forms.TypedChoiceField(
        coerce=int, choices=[(0, "No expiry"), (2, "2 hours"), (8, "8 hours"), (24, "1 day")],
        required=False, empty_value=0,
    )  # fmt: skip


class JoinForm(forms.Form):
    display_name = TextField(
        max_length=40, error_messages={"required": "Tell the others your name (or a nickname)."}
    )

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class CodeForm(JoinForm):
    code = forms.CharField(
        max_length=12, error_messages={"required": "Type the code you were given."}
    )


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


ACTIONS = {
    "timer-start", "timer-pause", "timer-add", "focus", "private-on", "private-off", "reveal",
    "anonymous-on", "anonymous-off", "voting-open", "voting-close", "lock", "unlock", "end",
    "revoke",
}  # fmt: skip


@require_POST
@login_required
def workshop_control(request: HtmxHttpRequest, workshop_id: int, action: str) -> HttpResponse:
    """The facilitator's controls; everyone's page follows live."""
    workshop = get_object_or_404(Workshop.objects.running(), pk=workshop_id)
    canvas = canvas_for(request.user, workshop.canvas_id)  # a member of the team, or 404
    if workshop.facilitator_id != request.user.pk:
        raise PermissionDenied("Only the facilitator runs the workshop.")
    if action not in ACTIONS:
        raise Http404
    try:
        control(workshop, action, request.POST, request.user)
    except (service.WorkshopError, ValueError) as error:
        return HttpResponse(str(error), status=422, content_type="text/plain")
    if action == "end":
        messages.success(request, "The workshop has ended; guests can no longer open the canvas.")
        return after_write(request, reverse("canvases:workshop-summary", args=[workshop.pk]))
    if not is_partial(request):
        return see_other(canvas_url(canvas.pk))
    context = {**bar_context(request, canvas, running_workshop(canvas.pk)), "oob": True}
    return render(request, BAR, context)


def control(workshop: Workshop, action: str, data, actor) -> None:
    if action == "timer-start":
        minutes = int(data.get("minutes", "5"))
        if not 1 <= minutes <= 180:
            raise ValueError("Set the timer to between 1 and 180 minutes.")
        service.start_timer(workshop=workshop, seconds=minutes * 60)
    elif action == "timer-pause":
        service.pause_timer(workshop=workshop)
    elif action == "timer-add":
        service.add_minute(workshop=workshop)
    elif action == "focus":
        block = data.get("block", "")
        if block and block not in BlockKind.values:
            raise ValueError("No such block.")
        service.update(workshop, focus_block=block)
    elif action in ("private-on", "private-off"):
        service.update(workshop, private_writing=action == "private-on")
    elif action == "reveal":
        service.reveal(workshop=workshop, actor=actor)
    elif action in ("anonymous-on", "anonymous-off"):
        service.update(workshop, anonymous=action == "anonymous-on")
    elif action == "voting-open":
        block, budget = data.get("block", ""), int(data.get("budget", "3"))
        if block and block not in BlockKind.values:
            raise ValueError("No such block.")
        if not 1 <= budget <= 20:
            raise ValueError("Give each person between 1 and 20 dots.")
        service.open_voting(workshop=workshop, block=block, budget=budget)
    elif action == "voting-close":
        service.update(workshop, voting_open=False)
    elif action in ("lock", "unlock"):
        service.update(workshop, locked=action == "lock")
    elif action == "end":
        service.end(workshop=workshop)
    elif action == "revoke":
        guest = workshop.guests.filter(pk=int(data.get("guest", "0") or 0)).first()
        if guest is None:
            raise ValueError("No such guest in this workshop.")
        service.revoke(guest=guest)


@require_POST
@member_or_guest
def note_vote(
    request: HtmxHttpRequest, workshop_id: int, note_id: int, direction: str
) -> HttpResponse:
    """Put a dot on a note, or take one back (members and guests of the workshop)."""
    workshop = get_object_or_404(Workshop.objects.running(), pk=workshop_id)
    if request.guest is not None and request.guest.workshop_id != workshop.pk:
        raise Http404
    canvas = canvas_for(request.user, workshop.canvas_id, guest=request.guest)
    note = note_of(canvas, note_id)
    voter = {
        "user": request.user if request.user.is_authenticated else None,
        "guest": request.guest,
    }
    try:
        if direction == "up":
            service.vote(workshop=workshop, note=note, **voter)
        else:
            service.unvote(workshop=workshop, note=note, **voter)
    except service.WorkshopError as error:
        return HttpResponse(str(error), status=422, content_type="text/plain")
    if not is_partial(request):
        return see_other(canvas_url(canvas.pk) + f"#note-{note.pk}")
    return render(request, BAR, {**bar_context(request, canvas, workshop), "oob": True})


# Joining


def enter(request, workshop: Workshop, name: str) -> HttpResponse:
    guest = service.join(workshop=workshop, display_name=name)
    request.session.cycle_key()  # a fresh session for the new guest
    request.session[SESSION_KEY] = guest.pk
    return redirect(canvas_url(workshop.canvas_id))


def closed_page(request, reason: str, status: int = 404) -> HttpResponse:
    return render(request, "canvases/workshop_closed.html", {"reason": reason}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_join(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Join through the link: a display name is all a guest gives."""
    workshop = Workshop.objects.select_related("canvas").filter(join_token=token).first()
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
        request, "canvases/workshop_join.html", {"workshop": workshop, "form": form}, status=status
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
            return render(request, "canvases/workshop_join.html", context, status=429)
        workshop = None
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            workshop = Workshop.objects.running().filter(join_code=code).first()
            if workshop is None:
                form.add_error("code", "No running workshop has this code.")
        if workshop is not None or "code" not in form.errors:
            throttles.counts().give_back(key)  # only a wrong code counts against the limit
        if workshop is not None:
            return enter(request, workshop, form.cleaned_data["display_name"])
    status = 422 if request.method == "POST" else 200
    return render(
        request, "canvases/workshop_join.html", {"form": form, "by_code": True}, status=status
    )


# Summary


def summary_context(workshop: Workshop, viewer: Viewer) -> dict:
    notes = Note.objects.visible_to(viewer).filter(
        block__canvas_id=workshop.canvas_id, created_at__gte=workshop.started_at
    )
    if workshop.ended_at:
        notes = notes.filter(created_at__lte=workshop.ended_at)
    per_block = dict.fromkeys(POSTER_ORDER, 0)
    for kind in notes.values_list("block__kind", flat=True):
        per_block[BlockKind(kind)] += 1
    return {
        "workshop": workshop,
        "canvas": workshop.canvas,
        "guests": list(workshop.guests.all()),
        "per_block": [(kind.label, count) for kind, count in per_block.items()],
        "total": sum(per_block.values()),
        "rounds": [
            (number, service.results(workshop, viewer, number))
            for number in range(workshop.voting_round, 0, -1)
        ],
    }


@require_safe
@login_required
def workshop_summary(request: HtmxHttpRequest, workshop_id: int) -> HttpResponse:
    workshop = get_object_or_404(
        Workshop.objects.select_related("canvas", "facilitator"), pk=workshop_id
    )
    canvas = canvas_for(request.user, workshop.canvas_id)  # team members only
    context = summary_context(workshop, canvas.viewer)
    return render(request, "canvases/workshop_summary.html", context)


@require_safe
@login_required
def workshop_summary_pdf(request: HtmxHttpRequest, workshop_id: int) -> HttpResponse:
    workshop = get_object_or_404(
        Workshop.objects.select_related("canvas", "facilitator"), pk=workshop_id
    )
    canvas = canvas_for(request.user, workshop.canvas_id)
    context = {**summary_context(workshop, canvas.viewer), "for_pdf": True}
    html = render(request, "canvases/workshop_summary_pdf.html", context).content.decode()
    try:
        rendered = pdf.render_with_limit(html)
    except pdf.RenderError as error:
        return busy(request, str(error), retry_after=error.retry_after)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = slugify(workshop.canvas.title) or "workshop"
    response["Content-Disposition"] = f'attachment; filename="{name}-workshop-summary.pdf"'
    return response
