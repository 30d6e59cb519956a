"""The activity page of a canvas: changes and comments by time, for its members."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from canvas_site.htmx import HtmxHttpRequest
from canvases.access import canvas_for
from canvases.comments.forms import ActivityFilter
from canvases.models import POSTER_ORDER

from .feed import activity


@require_safe
@login_required
def canvas_activity(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    members = (
        get_user_model()
        .objects.filter(memberships__team_id=canvas.team_id)
        .order_by(get_user_model().USERNAME_FIELD)
    )
    form = ActivityFilter(request.GET)
    context = {
        "canvas": canvas,
        "form": form,
        "members": members,
        "blocks": [(kind.value, kind.label) for kind in POSTER_ORDER],
    }
    if not form.is_valid():
        return render(request, "canvases/activity/activity.html", context, status=422)
    person = form.cleaned_data["person"]
    person_id = next((m.pk for m in members if str(m.pk) == person), None)
    block = form.cleaned_data["block"]
    block = block if block in dict(context["blocks"]) else ""
    entries, older = activity(
        canvas, person=person_id, block=block, before=form.cleaned_data["before"]
    )
    context.update(entries=entries, older=older, person=person_id, block=block)
    return render(request, "canvases/activity/activity.html", context)
