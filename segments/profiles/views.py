"""Customer profile, value map, fit and empathy map of a segment: one page, many small writes.

Every write answers htmx with the page's refresh (the lists, the value map, fit and empathy map
out of band) and a plain form with a 303 back to the page; invalid input answers 422 with the
form and its message, in place.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from canvas_site.htmx import HtmxHttpRequest, is_partial, see_other
from canvases.access import canvas_for
from canvases.models import Canvas, Role
from canvases.sharing.links import readable_through_share
from segments import models
from segments.access import segment_of
from segments.models import (
    EmpathyQuadrant,
    ProfileEntry,
    ProfileList,
    Segment,
    ValueMapKind,
)

from . import services
from .access import empathy_of, entry_of, item_of
from .forms import EmpathyForm, ProfileEntryForm, PromoteForm, ValueMapItemForm
from .page import profile_context

PAGE = "segments/segment_profile.html"


def profile_url(segment: Segment, anchor: str = "") -> str:
    url = models.profile_url(segment)
    return f"{url}#{anchor}" if anchor else url


def load(request: HtmxHttpRequest, canvas_id: int, segment_id: int, *, edit: bool):
    if edit:
        canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    else:
        canvas = canvas_for(request.user, canvas_id, share=request.share)
    return canvas, segment_of(canvas, segment_id)


def done(request: HtmxHttpRequest, canvas: Canvas, segment: Segment, anchor: str) -> HttpResponse:
    """After a successful write: the refreshed sections (htmx) or back to the page (plain)."""
    if not is_partial(request):
        return see_other(profile_url(segment, anchor))
    return render(request, f"{PAGE}#profile-refresh", profile_context(canvas, segment))


def invalid(request, canvas, segment, *, key, form, partial: str, target: str) -> HttpResponse:
    """422: the form with its message, in place (htmx) or in the whole page (plain)."""
    context = profile_context(canvas, segment, forms={key: form, "editing": key})
    if not is_partial(request):
        return render(request, PAGE, context, status=422)
    context.update(partial_context(context, key))
    response = render(request, f"{PAGE}#{partial}", context, status=422)
    return reswap(retarget(response, target), "outerHTML")


def partial_context(context: dict, key) -> dict:
    """The loop variable a form partial expects (`column`, `value_column` or `quarter`)."""
    kind, name = key[0], key[1]
    if kind == "entry":
        return {"column": next(c for c in context["columns"] if c.kind == name)}
    if kind == "item":
        return {"value_column": next(c for c in context["value_columns"] if c.kind == name)}
    return {"quarter": next(q for q in context["quarters"] if q.quadrant == name)}


def respond_editor(request, context: dict, *, name: str, pk: int, status: int) -> HttpResponse:
    """An entry's or item's editor: in its place (htmx, a 422 aimed back at it) or open in the
    whole page (a plain request)."""
    if not is_partial(request):
        context[f"editing_{name}_id"] = pk
        return render(request, PAGE, context, status=status)
    response = render(request, f"{PAGE}#{name}-editor", context, status=status)
    return retarget(response, f"#{name}-{pk}") if status == 422 else response


@require_safe
@readable_through_share(login_required)
def profile_detail(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=False)
    return render(request, PAGE, profile_context(canvas, segment))


@require_safe
@readable_through_share(login_required)
def profile_refresh(request: HtmxHttpRequest, canvas_id: int, segment_id: int) -> HttpResponse:
    """The page's sections out of band: where Esc in an editor goes back to."""
    canvas, segment = load(request, canvas_id, segment_id, edit=False)
    return done(request, canvas, segment, "")


# Jobs, pains and gains


@require_POST
@login_required
def entry_create(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, list_kind: str
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    if list_kind not in ProfileList.values:
        return HttpResponse("No such list.", status=404, content_type="text/plain")
    form = ProfileEntryForm(request.POST, list=list_kind)
    if not form.is_valid():
        target = f"#entry-add-{list_kind}"
        key = ("entry", list_kind)
        return invalid(
            request, canvas, segment, key=key, form=form, partial="entry-add", target=target
        )
    services.add_entry(segment=segment, list=list_kind, actor=request.user, **form.cleaned_data)
    return done(request, canvas, segment, f"profile-{list_kind}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_edit(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, entry_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    entry = entry_of(segment, entry_id)
    form = ProfileEntryForm(request.POST or None, instance=entry, list=entry.list)
    if request.method == "POST" and form.is_valid():
        services.update_entry(entry=entry, actor=request.user, **form.cleaned_data)
        return done(request, canvas, segment, f"entry-{entry.pk}")
    status = 422 if request.method == "POST" else 200
    if request.method == "POST":
        entry.refresh_from_db()
    context = profile_context(canvas, segment)
    context.update(entry=entry, entry_form=form)
    return respond_editor(request, context, name="entry", pk=entry.pk, status=status)


@require_POST
@login_required
def entry_delete(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, entry_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    entry = entry_of(segment, entry_id)
    services.delete_entry(entry=entry, actor=request.user)
    return done(request, canvas, segment, f"profile-{entry.list}")


@require_POST
@login_required
def entry_move(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, entry_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    entry = entry_of(segment, entry_id)
    position = step_target(entry, request.POST)
    if position is None:
        return HttpResponse(
            "Say where it goes: up, down or a position.", status=422, content_type="text/plain"
        )
    services.move_entry(entry=entry, position=position, actor=request.user)
    return done(request, canvas, segment, f"entry-{entry.pk}")


def step_target(entry: ProfileEntry, data) -> int | None:
    siblings = list(
        entry.segment.profile_entries.filter(list=entry.list)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    here = siblings.index(entry.pk)
    step = data.get("step")
    if step in ("up", "down"):
        return max(0, here - 1) if step == "up" else here + 1
    try:
        position = int(data.get("position", ""))
    except ValueError:
        return None
    return position if position >= 0 else None


@require_POST
@login_required
def entry_sort(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, list_kind: str
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    if list_kind not in ProfileList.values:
        return HttpResponse("No such list.", status=404, content_type="text/plain")
    services.sort_entries_by_score(segment=segment, list=list_kind, actor=request.user)
    return done(request, canvas, segment, f"profile-{list_kind}")


# Value map


@require_POST
@login_required
def item_create(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, item_kind: str
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    if item_kind not in ValueMapKind.values:
        return HttpResponse("No such part of the value map.", status=404, content_type="text/plain")
    form = ValueMapItemForm(request.POST, segment=segment, kind=item_kind)
    if not form.is_valid():
        key, target = ("item", item_kind), f"#item-add-{item_kind}"
        return invalid(
            request, canvas, segment, key=key, form=form, partial="item-add", target=target
        )
    services.add_value_item(
        segment=segment,
        kind=item_kind,
        text=form.cleaned_data["text"],
        addresses=form.cleaned_data["addresses"],
        actor=request.user,
    )
    return done(request, canvas, segment, f"value-{item_kind}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item_edit(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, item_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    item = item_of(segment, item_id)
    initial = {"text": item.text, "addresses": list(item.addresses.all())}
    data = request.POST if request.method == "POST" else None
    form = ValueMapItemForm(data, initial=initial, segment=segment, kind=item.kind)
    if request.method == "POST" and form.is_valid():
        services.update_value_item(
            item=item,
            text=form.cleaned_data["text"],
            addresses=form.cleaned_data["addresses"],
            actor=request.user,
        )
        return done(request, canvas, segment, f"item-{item.pk}")
    status = 422 if request.method == "POST" else 200
    context = profile_context(canvas, segment)
    chosen = (
        set(request.POST.getlist("addresses"))
        if request.method == "POST"
        else {str(entry.pk) for entry in initial["addresses"]}
    )
    column = next(c for c in context["value_columns"] if c.kind == item.kind)
    context.update(item=item, item_form=form, item_chosen=chosen, value_column=column)
    return respond_editor(request, context, name="item", pk=item.pk, status=status)


@require_POST
@login_required
def item_delete(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, item_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    item = item_of(segment, item_id)
    services.delete_value_item(item=item, actor=request.user)
    return done(request, canvas, segment, f"value-{item.kind}")


@require_POST
@login_required
def item_pin(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, item_id: int
) -> HttpResponse:
    """Pin a value-map item to the canvas as a Value Propositions note of this segment."""
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    item = item_of(segment, item_id)
    services.pin_value_item(item=item, actor=request.user)
    return done(request, canvas, segment, f"item-{item.pk}")


# Empathy map


@require_POST
@login_required
def empathy_create(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, quadrant: str
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    if quadrant not in EmpathyQuadrant.values:
        return HttpResponse(
            "No such part of the empathy map.", status=404, content_type="text/plain"
        )
    form = EmpathyForm(request.POST)
    if not form.is_valid():
        key, target = ("empathy", quadrant), f"#empathy-add-{quadrant}"
        return invalid(
            request, canvas, segment, key=key, form=form, partial="empathy-add", target=target
        )
    services.add_empathy(
        segment=segment, quadrant=quadrant, text=form.cleaned_data["text"], actor=request.user
    )
    return done(request, canvas, segment, "empathy-map")


@require_POST
@login_required
def empathy_delete(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, entry_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    services.delete_empathy(entry=empathy_of(segment, entry_id), actor=request.user)
    return done(request, canvas, segment, "empathy-map")


@require_POST
@login_required
def empathy_promote(
    request: HtmxHttpRequest, canvas_id: int, segment_id: int, entry_id: int
) -> HttpResponse:
    canvas, segment = load(request, canvas_id, segment_id, edit=True)
    entry = empathy_of(segment, entry_id)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["list"][0], status=422, content_type="text/plain")
    promoted = services.promote_empathy(
        entry=entry, list=form.cleaned_data["list"], actor=request.user
    )
    return done(request, canvas, segment, f"entry-{promoted.pk}")
