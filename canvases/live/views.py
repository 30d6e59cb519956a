"""The live side of a canvas page: its event stream and presence."""

from __future__ import annotations

import asyncio
import contextlib

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from canvas_site.errors import busy
from canvas_site.htmx import HtmxHttpRequest, is_partial
from canvas_site.live import HEARTBEAT_SECONDS, get_bus, new_tab, sse_message, valid_tab
from canvases.access import canvas_for, note_of
from canvases.models import Canvas
from canvases.page import viewer_kind
from canvases.workshops.guests import current_guest, member_or_guest

from . import presence
from .push import Push, fragment_message, pusher

DETAIL = "canvases/canvas_detail.html"


_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def opening_slots() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(settings.LIVE_STREAM_OPENINGS)
    return _slots[loop]


async def canvas_events(request, canvas_id: int) -> HttpResponse:
    """Server-Sent Events for one open page of a canvas: ids and revisions only."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    tab = valid_tab(request.GET.get("tab")) or new_tab()
    try:
        # Opening a stream takes a database connection for a moment; when a whole workshop
        # connects at once, a few at a time keeps the server within its connection limit.
        async with opening_slots():
            user = await request.auser()
            guest = None if user.is_authenticated else await sync_to_async(current_guest)(request)
            if not user.is_authenticated and guest is None:
                await sync_to_async(release_connection)()
                return HttpResponse(
                    "Log in to follow this canvas.", status=403, content_type="text/plain"
                )
            if request.method == "HEAD":
                await sync_to_async(check_access)(user, canvas_id, guest)
                return event_stream_response(b"")
            canvas = await sync_to_async(open_stream)(user, canvas_id, tab, guest)
    except OperationalError:  # the database is busy or away: the page retries by itself
        return busy(request)
    subscription = await get_bus().subscribe(canvas.pk)
    push = pusher(viewer_kind(canvas)) if settings.LIVE_PUSH else None
    return event_stream_response(
        stream(subscription, canvas, tab, guest=guest is not None, push=push)
    )


def event_stream_response(body) -> HttpResponse:
    response_class = HttpResponse if isinstance(body, bytes) else StreamingHttpResponse
    response = response_class(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def check_access(user, canvas_id: int, guest=None) -> None:
    try:
        canvas_for(user, canvas_id, guest=guest)
    finally:
        release_connection()


def release_connection() -> None:
    # Not inside a transaction (tests wrap each test in one): that connection must stay.
    if not connection.in_atomic_block:
        connection.close()


def open_stream(user, canvas_id: int, tab: str, guest=None) -> Canvas:
    """Check access and say hello, then give the database connection back: a stream stays
    open for hours and must not hold a connection all that time."""
    try:
        canvas = canvas_for(user, canvas_id, guest=guest)
        member = user if user.is_authenticated else None
        presence.join(canvas=canvas, user=member, tab=tab, guest=guest)
        return canvas
    finally:
        release_connection()


def close_stream(canvas_id: int, tab: str) -> None:
    try:
        presence.leave(canvas_id=canvas_id, tab=tab)
    finally:
        release_connection()


async def stream(
    subscription, canvas: Canvas, tab: str, *, guest: bool = False, push: Push | None = None
):
    """Hello with the current revision, then every event, and a heartbeat when quiet. With
    `push`, an event whose fragment can be pushed is followed by it (`pushed` says so)."""
    try:
        yield ": connected\n\n"
        yield sse_message("hello", {"revision": canvas.revision}, event_id=canvas.revision)
        while True:
            try:
                event = await asyncio.wait_for(subscription.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            # What waits already goes out in one write: each write costs the process more than
            # the text it carries, and a busy room queues events for every page at once.
            text, last = "", False
            for each in [event, *subscription.waiting()]:
                said, last = await messages_for(each, tab, guest=guest, push=push)
                text += said
                if last:
                    break
            if text:
                yield text
            if last:
                return
    finally:
        subscription.close()
        # If this fails (the database is away), the presence row simply expires.
        with contextlib.suppress(Exception):
            await sync_to_async(close_stream)(canvas.pk, tab)


async def messages_for(
    event: dict, tab: str, *, guest: bool, push: Push | None
) -> tuple[str, bool]:
    """The SSE messages one event makes for this stream, and whether the stream ends."""
    if event["event"] == "streamClosed":
        if tab in event["tabs"]:  # too many pages of one person: this, the oldest
            return sse_message("streamClosed", {"reason": "too many open pages"}), True
        return "", False
    fragment = await push(event) if push is not None else None
    if fragment is not None:
        event = {**event, "pushed": True}
    text = sse_message(event["event"], event, event_id=event.get("revision"))
    if fragment is not None:
        text += fragment_message(fragment, event["revision"])
    # A guest's access ends with the workshop.
    return text, guest and event["event"] == "workshopEnded"


@require_POST
@member_or_guest
def presence_beat(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """A page says it is still open, and which note it is editing."""
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    tab = valid_tab(request.POST.get("tab"))
    if not tab:
        return HttpResponse("Which page is this? (tab)", status=422, content_type="text/plain")
    editing = None
    if request.POST.get("editing"):
        try:
            editing = note_of(canvas, int(request.POST["editing"]))
        except ValueError:
            return HttpResponse("Which note?", status=422, content_type="text/plain")
    member = request.user if request.user.is_authenticated else None
    presence.beat(canvas=canvas, user=member, tab=tab, editing=editing, guest=request.guest)
    return HttpResponse(status=204)


@require_safe
@member_or_guest
def presence_bar(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    context = {"canvas": canvas, "present": presence.present(canvas, request.user, request.guest)}
    if not is_partial(request):
        return HttpResponse(status=204)
    return render(request, f"{DETAIL}#presence-bar", context)
