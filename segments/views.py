"""Segment views: parse, authorize, validate, act through a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other
from canvas_site.live import new_tab
from canvases.access import canvas_for
from canvases.models import POSTER_ORDER, Canvas, Note, Role
from canvases.page import load_board, page_context, render_board
from canvases.sharing.links import readable_through_share
from canvases.workshops.guests import member_or_guest

from . import services
from .access import criterion_of, segment_of, snapshot_of
from .board import load_segments
from .charts import trend_charts
from .comments import SEGMENT, attach_comment_counts
from .economics import economics_of
from .fit import fit_of
from .forms import (
    CriterionForm,
    EconomicsForm,
    SegmentForm,
    SegmentInlineForm,
    SegmentNameForm,
    SnapshotForm,
)
from .models import Segment, SegmentationBase, SegmentColour, ValueMapItem

DETAIL = "segments/segment_detail.html"
PARTS = "segments/canvas_parts.html"


def segment_url(segment: Segment, anchor: str = "") -> str:
    url = segment.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def changed(response: HttpResponse) -> HttpResponse:
    """Tell the canvas page its board changed: it refreshes note colours, lens and checks."""
    trigger_client_event(response, "boardChanged")
    return response


def segment_list_response(request, canvas: Canvas, *, status: int = 200, **extra):
    context = {
        "canvas": canvas,
        "can_edit": canvas.can_edit,
        "segment_list": attach_comment_counts(canvas, SEGMENT, load_segments(canvas)),
        "segment_colours": SegmentColour.choices,
        **extra,
    }
    return changed(render(request, f"{PARTS}#segment-list", context, status=status))


def segment_fit(segment: Segment):
    entries = list(segment.profile_entries.all())
    addressed = set(
        ValueMapItem.addresses.through.objects.filter(valuemapitem__segment=segment).values_list(
            "profileentry_id", flat=True
        )
    )
    return fit_of(entries, addressed)


def detail_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    segments = load_segments(canvas)
    segment.is_focus = next((s.is_focus for s in segments if s.pk == segment.pk), False)
    attach_comment_counts(canvas, SEGMENT, [segment])  # the heading's badge
    snapshots = list(segment.snapshots.all())
    notes = (
        Note.objects.visible_to(canvas.viewer)
        .filter(segments=segment)
        .select_related("block")
        .order_by("position", "pk")
    )
    notes_by_block = {kind: [] for kind in POSTER_ORDER}
    for note in notes:
        notes_by_block[note.block.kind].append(note)
    return {
        "canvas": canvas,
        "segment": segment,
        "can_edit": canvas.can_edit,
        "fit": segment_fit(segment),
        "economics": economics_of(segment, currency=canvas.currency),
        "snapshots": [
            (snapshot, economics_of(snapshot, currency=canvas.currency)) for snapshot in snapshots
        ],
        "charts": trend_charts(snapshots, currency=canvas.currency),
        "criteria_by_base": [
            (base, [c for c in segment.criteria.all() if c.base == base.value])
            for base in SegmentationBase
        ],
        "notes_by_block": [(kind, notes_by_block[kind]) for kind in POSTER_ORDER],
        "form": SegmentForm(instance=segment),
        "economics_form": EconomicsForm(instance=segment),
        "criterion_form": CriterionForm(),
        "tab": new_tab(),
        "oob": False,
        **extra,
    }


def render_detail(request, canvas, segment, *, status: int = 200, partial: str = "", **extra):
    template = f"{DETAIL}#{partial}" if partial and is_partial(request) else DETAIL
    return render(request, template, detail_context(canvas, segment, **extra), status=status)


@require_safe
@readable_through_share(member_or_guest)
def segment_checks(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The gap checks alone: re-fetched by the canvas page whenever the canvas changed."""
    canvas = load_board(request, canvas_id)
    if not is_partial(request):
        return redirect(reverse("canvases:canvas-detail", args=[canvas.pk]))
    return render(request, f"{PARTS}#checks-panel", page_context(canvas, request))


@require_safe
@readable_through_share(login_required)
def segment_detail(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, share=request.share)
    segment = segment_of(canvas, segment_id)
    return render_detail(request, canvas, segment)


@require_safe
@readable_through_share(login_required)
def segment_refresh(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    """The page's sections out of band: what a live update of the segment page fetches."""
    canvas = canvas_for(request.user, canvas_id, share=request.share)
    segment = segment_of(canvas, segment_id)
    if not is_partial(request):
        return see_other(segment_url(segment))
    return render(request, f"{DETAIL}#segment-refresh", detail_context(canvas, segment))


@require_POST
@login_required
def segment_create(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    form = SegmentNameForm(request.POST)
    if not form.is_valid():
        context = {"canvas": canvas, "can_edit": True, "segment_form": form}
        response = render(request, f"{PARTS}#segment-add", context, status=422)
        if is_partial(request):
            return reswap(retarget(response, "#segment-add"), "outerHTML")
        return render_canvas_with(request, canvas, status=422, segment_form=form)
    segment = services.create_segment(
        canvas=canvas, name=form.cleaned_data["name"], actor=request.user
    )
    if not is_partial(request):
        messages.success(request, f"Segment “{segment.name}” added. Describe it here.")
        return see_other(segment_url(segment))
    return segment_list_response(request, canvas)


def render_canvas_with(request, canvas: Canvas, *, status: int, **extra) -> HttpResponse:
    return render_board(request, canvas.pk, status=status, **extra)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def segment_edit(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    """The segment's description: inline in the canvas's block (htmx) or on its page."""
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    inline = request.GET.get("inline") == "1" or request.POST.get("inline") == "1"
    form_class = SegmentInlineForm if inline else SegmentForm
    form = form_class(request.POST or None, instance=segment)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        if inline and is_partial(request):
            if request.method == "POST":
                segment.refresh_from_db()
            context = {
                "canvas": canvas,
                "segment": segment,
                "form": form,
                "can_edit": True,
                "segment_colours": SegmentColour.choices,
            }
            response = render(request, f"{PARTS}#segment-inline-form", context, status=status)
            return retarget(response, f"#segment-{segment.pk}") if status == 422 else response
        return render_detail(
            request, canvas, segment, status=status, partial="segment-about", form=form
        )
    services.update_segment(segment=segment, actor=request.user, **form.cleaned_data)
    if inline and is_partial(request):
        return segment_list_response(request, canvas)
    if not is_partial(request):
        return see_other(segment_url(segment))
    return changed(render_detail(request, canvas, segment, partial="segment-about"))


@require_POST
@login_required
def segment_economics(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    form = EconomicsForm(request.POST, instance=segment)
    if not form.is_valid():
        segment.refresh_from_db()
        return render_detail(
            request, canvas, segment, status=422, partial="economics", economics_form=form
        )
    services.update_segment(segment=segment, actor=request.user, **form.cleaned_data)
    if not is_partial(request):
        return see_other(segment_url(segment, "economics"))
    return render_detail(request, canvas, segment, partial="economics")


@require_POST
@login_required
def segment_move(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    position = rank_target(segment, request.POST)
    if position is None:
        return HttpResponse(
            "Say where the segment goes: up, down or a position.",
            status=422,
            content_type="text/plain",
        )
    services.move_segment(segment=segment, position=position, actor=request.user)
    if not is_partial(request):
        return see_other(
            reverse("canvases:canvas-detail", args=[canvas.pk]) + "#block-customer_segments"
        )
    response = segment_list_response(request, canvas)
    trigger_client_event(response, "segmentFocus", {"id": segment.pk}, after="settle")
    return response


def rank_target(segment: Segment, data) -> int | None:
    step = data.get("step")
    if step == "up":
        return max(0, rank_index(segment) - 1)
    if step == "down":
        return rank_index(segment) + 1
    try:
        position = int(data.get("position", ""))
    except ValueError:
        return None
    return position if position >= 0 else None


def rank_index(segment: Segment) -> int:
    ranked = list(segment.canvas.segments.ranked().values_list("pk", flat=True))
    return ranked.index(segment.pk)


@require_POST
@login_required
def segment_delete(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    services.delete_segment(segment=segment, actor=request.user)
    messages.success(request, f"Segment “{segment.name}” deleted; its notes stay on the canvas.")
    return after_write(request, reverse("canvases:canvas-detail", args=[canvas.pk]))


@require_POST
@login_required
def criterion_create(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    form = CriterionForm(request.POST)
    if not form.is_valid():
        return render_detail(
            request, canvas, segment, status=422, partial="criteria", criterion_form=form
        )
    services.add_criterion(segment=segment, actor=request.user, **form.cleaned_data)
    if not is_partial(request):
        return see_other(segment_url(segment, "criteria"))
    context = {"last_base": form.cleaned_data["base"]}
    return render_detail(request, canvas, segment, partial="criteria", **context)


@require_POST
@login_required
def criterion_delete(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, criterion_id: int
) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    criterion = criterion_of(segment, criterion_id)
    services.delete_criterion(criterion=criterion, actor=request.user)
    if not is_partial(request):
        return see_other(segment_url(segment, "criteria"))
    return render_detail(request, canvas, segment, partial="criteria")


@require_POST
@login_required
def snapshot_create(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    """“Record today's figures”."""
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    services.record_snapshot(segment=segment, actor=request.user)
    if not is_partial(request):
        messages.success(request, "Today's figures are recorded.")
        return see_other(segment_url(segment, "history"))
    return render_detail(request, canvas, segment, partial="history")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def snapshot_edit(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, snapshot_id: int
) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    snapshot = snapshot_of(segment, snapshot_id)
    form = SnapshotForm(request.POST or None, instance=snapshot, segment=segment)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        extra = {"editing_snapshot": snapshot, "snapshot_form": form}
        if request.method == "POST":
            snapshot.refresh_from_db()
        return render_detail(request, canvas, segment, status=status, partial="history", **extra)
    services.update_snapshot(snapshot=snapshot, actor=request.user, **form.cleaned_data)
    if not is_partial(request):
        return see_other(segment_url(segment, "history"))
    return render_detail(request, canvas, segment, partial="history")


@require_POST
@login_required
def snapshot_delete(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, snapshot_id: int
) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    segment = segment_of(canvas, segment_id)
    snapshot = snapshot_of(segment, snapshot_id)
    services.delete_snapshot(snapshot=snapshot, actor=request.user)
    if not is_partial(request):
        return see_other(segment_url(segment, "history"))
    return render_detail(request, canvas, segment, partial="history")
