"""The live side of a canvas page: its event stream and presence."""

from __future__ import annotations

import asyncio
import contextlib
import secrets

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from canvas_site.htmx import HtmxHttpRequest, is_partial
from canvas_site.live import HEARTBEAT_SECONDS, get_bus, sse_message, valid_tab

from . import presence
from .access import canvas_for, note_of
from .models import Canvas

DETAIL = "canvases/canvas_detail.html"


def new_tab() -> str:
    return secrets.token_urlsafe(12)


async def canvas_events(request, canvas_id: int) -> HttpResponse:
    """Server-Sent Events for one open page of a canvas: ids and revisions only."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse("Log in to follow this canvas.", status=403, content_type="text/plain")
    canvas = await sync_to_async(canvas_for)(user, canvas_id)
    tab = valid_tab(request.GET.get("tab")) or new_tab()
    subscription = await get_bus().subscribe(canvas.pk)
    await sync_to_async(presence.join)(canvas=canvas, user=user, tab=tab)
    response = StreamingHttpResponse(
        stream(subscription, canvas, tab), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def stream(subscription, canvas: Canvas, tab: str):
    """Hello with the current revision, then every event, and a heartbeat when quiet."""
    try:
        yield ": connected\n\n"
        yield sse_message("hello", {"revision": canvas.revision}, event_id=canvas.revision)
        while True:
            try:
                event = await asyncio.wait_for(subscription.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            yield sse_message(event["event"], event, event_id=event.get("revision"))
    finally:
        subscription.close()
        # If this fails (the database is away), the presence row simply expires.
        with contextlib.suppress(Exception):
            await sync_to_async(presence.leave)(canvas_id=canvas.pk, tab=tab)


@require_POST
@login_required
def presence_beat(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """A page says it is still open, and which note it is editing."""
    canvas = canvas_for(request.user, canvas_id)
    tab = valid_tab(request.POST.get("tab"))
    if not tab:
        return HttpResponse("Which page is this? (tab)", status=422, content_type="text/plain")
    editing = None
    if request.POST.get("editing"):
        try:
            editing = note_of(canvas, int(request.POST["editing"]))
        except ValueError:
            return HttpResponse("Which note?", status=422, content_type="text/plain")
    presence.beat(canvas=canvas, user=request.user, tab=tab, editing=editing)
    return HttpResponse(status=204)


@require_GET
@login_required
def presence_bar(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    context = {"canvas": canvas, "present": presence.present(canvas, request.user)}
    if not is_partial(request):
        return HttpResponse(status=204)
    return render(request, f"{DETAIL}#presence-bar", context)
