"""Fragments pushed down the event stream: the note lists a change touched, rendered once per
process, revision and kind of viewer, and sent to every page of that kind with the event, so
that no page of a room has to fetch them (a room of sixty guests would otherwise send sixty
requests through the whole middleware stack for each note).

A page swaps the fragment out of band (live.js). Where pages differ by more than their kind
(private writing hides some notes from some people; dot voting shows each their own dots),
nothing is pushed and each page fetches its own, as before.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from django.db import OperationalError, connection
from django.template.loader import render_to_string

from ..models import EVERYONE, Canvas, Guest, Note, Role
from ..page import DETAIL, board_parts, share_lists

logger = logging.getLogger(__name__)

# Past this, pages fetch their own. Long: a render this slow means the process is overloaded,
# and a room of pages all fetching would only add to it.
RENDER_SECONDS = 10.0
REMEMBERED = 256  # renders kept per process: a few per canvas open here

Push = Callable[[dict], Awaitable[str | None]]


def render_push(
    canvas_id: int,
    blocks: tuple[str, ...],
    kind: str,
    added: int | None = None,
    revision: int | None = None,
) -> str | None:
    """The note lists of `blocks` (or, for a note just `added`, its card alone, appended to its
    list), the panels that follow notes and the canvas's meta line, out of band, as every page
    of `kind` shows them; None when pages must fetch their own. The board loaded for one kind
    of viewer serves the others too, for the change at `revision`."""
    canvas = board_for_everyone(canvas_id, revision)
    if canvas is None:
        return None  # gone, or private writing: what each page shows depends on who reads it
    dress_as(canvas, kind)
    context = board_parts(canvas)
    workshop = context["workshop"]
    if workshop is not None and (workshop.voting_open or workshop.voting_round):
        return None  # each person's dots, or results that quote notes, in the workshop bar
    if added is not None:
        # A note added lands at the end of its list: its card is all that changes there (a
        # room of sixty writing would otherwise re-render ever longer lists, 20 a second).
        context["note"] = next(
            (note for block in context["blocks"] for note in block.live_notes if note.pk == added),
            None,
        )
        return render_to_string(f"{DETAIL}#note-push", context) if context["note"] else None
    context["changed_blocks"] = [block for block in context["blocks"] if block.kind in blocks]
    # Only the lists that go out: the others would be rendered for nothing (a list is cached
    # per revision, so each change would render every list of the canvas again).
    share_lists(canvas, {**context, "blocks": context["changed_blocks"]}, oob=True)
    return render_to_string(f"{DETAIL}#board-push", context)


_boards: OrderedDict[tuple[int, int], tuple[float, Canvas | None]] = OrderedDict()
_boards_lock = threading.Lock()
BOARDS_KEPT = 8
# The renders of one change follow each other within moments; an id SQLite gave a purged
# canvas's successor never meets an old board that way.
BOARD_SECONDS = 5.0


def board_for_everyone(canvas_id: int, revision: int | None) -> Canvas | None:
    """The canvas with the board everyone may read (None: gone, or a note is hidden), loaded
    once per change (`revision`) for every kind of viewer: each render gets its own copy to
    dress, sharing the notes loaded (renders only read them)."""
    key = (canvas_id, revision) if revision is not None else None
    with _boards_lock:
        at, loaded = _boards.get(key, (0.0, None))
        if time.monotonic() - at < BOARD_SECONDS:
            return copy.copy(loaded) if loaded is not None else None
    loaded = Canvas.objects.with_board(EVERYONE).alive().filter(pk=canvas_id).first()
    if loaded is not None and Note.objects.alive().of_canvas(loaded).filter(hidden=True).exists():
        loaded = None
    if key is not None:
        with _boards_lock:
            _boards[key] = (time.monotonic(), loaded)
            while len(_boards) > BOARDS_KEPT:
                _boards.popitem(last=False)
    return copy.copy(loaded) if loaded is not None else None


def forget_boards() -> None:
    with _boards_lock:
        _boards.clear()


def dress_as(canvas: Canvas, kind: str) -> None:
    """The canvas as a page of `kind` holds it (canvas_for): what the templates test."""
    canvas.viewer = EVERYONE
    roles = {"editor": Role.EDITOR, "viewer": Role.VIEWER, "guest": None}
    canvas.my_role = roles[kind]
    # A guest's page is the same for every guest (canvases.page.viewer_kind): any guest will do.
    canvas.guest = Guest(display_name="") if kind == "guest" else None


class Renders:
    """One render per key at a time in this process (the first stream to ask renders, the
    others wait for it), and the last few kept for the streams that ask later."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self.done: OrderedDict[tuple, asyncio.Future] = OrderedDict()

    async def get(self, key: tuple, render: Callable[[], Awaitable[str | None]]) -> str | None:
        future = self.done.get(key)
        if future is None:
            # A task of its own: a stream that stops waiting does not stop the others' render.
            future = asyncio.ensure_future(settled(render(), key))
            self.done[key] = future
            while len(self.done) > self.size:
                self.done.popitem(last=False)
        else:
            self.done.move_to_end(key)
        return await asyncio.shield(future)


async def settled(render: Awaitable[str | None], key: tuple) -> str | None:
    try:
        return await render
    except Exception:  # the pages fetch their own: the push only saves them the trouble
        logger.exception("Could not render the fragment to push for %s", key)
        return None


_renders: dict[asyncio.AbstractEventLoop, Renders] = {}


def renders() -> Renders:
    loop = asyncio.get_running_loop()
    if loop not in _renders:
        _renders[loop] = Renders()
    return _renders[loop]


def pusher(kind: str) -> Push:
    """What a stream of a page of `kind` calls with each event: the fragment to push, or None."""

    async def push(event: dict) -> str | None:
        if event["event"] != "notesChanged" or not event.get("blocks"):
            return None
        blocks, added, revision = tuple(event["blocks"]), event.get("added"), event["revision"]
        key = (event["canvas"], revision, blocks, kind)
        render = sync_to_async(rendered_and_released)
        try:
            return await asyncio.wait_for(
                renders().get(key, lambda: render(event["canvas"], blocks, kind, added, revision)),
                timeout=RENDER_SECONDS,
            )
        except TimeoutError:
            return None

    return push


def rendered_and_released(
    canvas_id: int,
    blocks: tuple[str, ...],
    kind: str,
    added: int | None = None,
    revision: int | None = None,
) -> str | None:
    try:
        return render_push(canvas_id, blocks, kind, added, revision)
    except OperationalError:  # the database is busy: the pages fetch when it answers again
        return None
    finally:
        # A stream lives for hours and must not hold a connection all that time. Not inside
        # a transaction (tests wrap each test in one): that connection must stay.
        if not connection.in_atomic_block:
            connection.close()


# Every stream of a room sends the same render: encode it once, not once per page (a note list
# of 300 notes is ~100 KB, 0.6 ms to encode; 60 pages made that 36 ms per change). The cache
# finds the one shared string by identity (its hash is computed once, then kept by Python).
@functools.lru_cache(maxsize=16)
def fragment_message(html: str, revision: int) -> str:
    """The `fragment` event: HTML, one `data:` line per line of it."""
    lines = html.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    data = "\n".join(f"data: {line}" for line in lines)
    return f"id: {revision}\nevent: fragment\n{data}\n\n"
