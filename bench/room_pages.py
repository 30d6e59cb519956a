"""The pages of bench/room.py: each follows a canvas as static/js/live.js does.

A page holds one event stream and keeps a log of what it has in hand: every board fragment
it fetched (the revision the answer carries and the blocks it asked for) and every pushed
fragment that arrived. room.py reads these logs afterwards to time each change on each page.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

GATHER_SECONDS = 0.03  # live.js gathers the events of a few milliseconds into one request
BEAT_SECONDS = 20.0  # live.js: a presence beat every 20 s
PRESENCE_SECONDS = 1.0  # live.js: the presence bar at most once a second
RECONNECT_SECONDS = 1.0
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class InHand:
    """A fragment the page has: at `revision` (or later), these blocks (None: the whole board)."""

    at: float
    revision: int
    blocks: frozenset[str] | None


@dataclass
class Tally:
    """What all the pages of one run did, counted while `measuring`."""

    measuring: bool = False
    hellos: int = 0
    fetches: int = 0  # board fragments requested
    pushed: int = 0  # events that said "pushed": true
    fragments: int = 0  # pushed fragments received
    gaps: int = 0  # events that showed the page was behind (a revision skipped): whole board
    resyncs: int = 0  # the server's queue for a stream overflowed: whole board
    retried: int = 0  # GETs sent again after the server closed an idle connection under them
    events: Counter = field(default_factory=Counter)  # what the streams said, by kind
    failed: Counter = field(default_factory=Counter)  # what failed, how often
    failed_opening: Counter = field(default_factory=Counter)  # the same, before measuring
    last_message: float = 0.0

    def fail(self, what: str) -> None:
        (self.failed if self.measuring else self.failed_opening)[what] += 1


def revision_of(data: dict) -> int | None:
    value = data.get("revision")
    return value if isinstance(value, int) else None


class Page:
    """One open canvas page: its stream, the refresh logic of live.js and htmx's queue."""

    def __init__(self, client: httpx.AsyncClient, canvas: int, tab: str, tally: Tally):
        self.client, self.tab, self.tally = client, tab, tally
        self.events_url = f"/canvases/{canvas}/events/?tab={tab}"
        self.board_url = f"/canvases/{canvas}/board/"
        self.presence_url = f"/canvases/{canvas}/presence/"
        self.beat_url = f"/canvases/{canvas}/presence/beat/"
        self.revision: int | None = None  # the revision the page shows (None: not loaded)
        self.pending: set[str] | str | None = None  # blocks to fetch, "all", or nothing
        self.timer: asyncio.TimerHandle | None = None
        self.in_flight = False  # one board refresh at a time
        self.presence_due: asyncio.TimerHandle | None = None
        self.presence_at = 0.0
        self.awaiting: InHand | None = None  # what the next pushed fragment brings
        self.expects_fragment = False
        self.seen: list[InHand] = []
        self.follows_presence = False  # set when the room is open (see room.py)
        self.tasks: set[asyncio.Task] = set()
        self.closed = False

    # The stream

    async def follow(self) -> None:
        """Hold the stream; reconnect after a second when it fails (the SSE extension does)."""
        timeout = httpx.Timeout(30.0, read=None)
        while not self.closed:
            try:
                async with self.client.stream("GET", self.events_url, timeout=timeout) as answer:
                    if answer.status_code != 200:
                        self.tally.fail(f"stream answered {answer.status_code}")
                    else:
                        await self.read(answer)
            except httpx.HTTPError as error:
                self.tally.fail(f"stream: {type(error).__name__}")
            if not self.closed:
                self.tally.fail("stream ended")
                await asyncio.sleep(RECONNECT_SECONDS)

    async def read(self, answer: httpx.Response) -> None:
        buffer = ""
        async for chunk in answer.aiter_text():
            # A pushed fragment is ~100 KB and comes in several chunks: look for the end of a
            # message only in what is new, not the whole buffer again (the server sends "\n").
            searched, buffer = max(0, len(buffer) - 1), buffer + chunk
            end = buffer.find("\n\n", searched)
            while end >= 0:
                block, buffer = buffer[:end], buffer[end + 2 :]
                kind, data, ident = parse_message(block)
                if data is not None:
                    self.tally.last_message = time.perf_counter()
                    self.on_message(kind, data, ident)
                if self.closed:
                    return
                end = buffer.find("\n\n")

    def on_message(self, kind: str, text: str, ident: str = "") -> None:
        if self.tally.measuring:
            self.tally.events[kind] += 1
        if kind == "fragment":
            return self.on_fragment(int(ident) if ident.isdigit() else None)
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if kind == "presence":
            return self.refresh_presence()
        if kind == "streamClosed":  # sse-close: this page stops following
            self.tally.fail("stream closed by the server (too many pages)")
            self.closed = True
            return None
        if kind == "resync":
            self.tally.resyncs += self.tally.measuring
            return self.refresh("all")
        if kind in ("workshopChanged", "workshopEnded"):
            # live.js: a timer's event ("notes": false) leaves the note lists as they are.
            if self.follows(revision_of(data)) and data.get("notes") is False:
                return None
            return self.refresh("all")
        if kind == "hello":
            return self.on_hello(data)
        self.on_change(kind, data)

    def on_hello(self, data: dict) -> None:
        self.tally.hellos += self.revision is None
        self.refresh_presence()
        revision = revision_of(data) or 0
        if self.revision is not None and revision > self.revision:
            self.refresh("all")
        self.revision = max(self.revision or 0, revision)

    def follows(self, revision: int | None) -> bool:
        """The page takes the event's revision; False when it skipped one (it missed an event)."""
        behind = revision is not None and revision > (self.revision or 0) + 1
        if revision is not None:
            self.revision = max(self.revision or 0, revision)
        return not behind

    def on_change(self, kind: str, data: dict) -> None:
        revision = revision_of(data)
        behind = not self.follows(revision)
        blocks = data.get("blocks")
        pushed = bool(data.get("pushed")) and revision is not None
        if pushed:  # the fragment comes next on this stream
            self.tally.pushed += self.tally.measuring
            mine = data.get("tab") == self.tab
            self.awaiting = None if mine else InHand(0.0, revision, frozenset(blocks or ()) or None)
            self.expects_fragment = True
        if behind:
            self.tally.gaps += self.tally.measuring
            return self.refresh("all")
        if data.get("tab") == self.tab or pushed:  # this page made the change, or it comes
            return None
        if data.get("only"):  # a note someone writes privately: not this page's (no writer here)
            return None
        if kind == "notesChanged" and blocks:
            self.refresh(blocks)
        else:
            self.refresh("all")

    def on_fragment(self, revision: int | None) -> None:
        """The pushed fragment is in hand: the blocks of the event before it, at its revision
        (or the fragment's own id, when it has one)."""
        if not self.expects_fragment:
            self.tally.fail("a fragment without a pushed event before it")
            return
        if self.awaiting is not None:
            revision = max(revision or 0, self.awaiting.revision)
            self.seen.append(InHand(time.perf_counter(), revision, self.awaiting.blocks))
            self.tally.fragments += self.tally.measuring
        self.awaiting, self.expects_fragment = None, False

    # Fetching, as live.js does: one refresh at a time, what is asked for meanwhile gathers
    # into the next one

    def refresh(self, blocks) -> None:
        if blocks == "all" or self.pending == "all":
            self.pending = "all"
        else:
            self.pending = (self.pending or set()) | set(blocks)
        self.schedule()

    def schedule(self) -> None:
        if self.timer is not None or self.in_flight or not self.pending or self.closed:
            return
        self.timer = asyncio.get_running_loop().call_later(GATHER_SECONDS, self.gathered)

    def gathered(self) -> None:
        wanted, self.pending, self.timer = self.pending, None, None
        self.in_flight = True
        if wanted == "all":
            self.spawn(self.fetch(self.board_url, None))
        else:
            url = f"{self.board_url}?blocks={','.join(sorted(wanted))}"
            self.spawn(self.fetch(url, frozenset(wanted)))

    async def fetch(self, url: str, blocks: frozenset[str] | None) -> None:
        self.tally.fetches += self.tally.measuring
        try:
            answer = await self.get(url)
            if answer.status_code == 200 and "X-Canvas-Revision" in answer.headers:
                revision = int(answer.headers["X-Canvas-Revision"])
                self.seen.append(InHand(time.perf_counter(), revision, blocks))
            else:
                self.tally.fail(f"board fetch answered {answer.status_code}")
        except httpx.HTTPError as error:
            self.tally.fail(f"board fetch: {type(error).__name__}")
        finally:
            self.in_flight = False
            self.schedule()

    async def get(self, url: str) -> httpx.Response:
        """An htmx GET. A browser sends a request again when the server closed the kept-alive
        connection as it was reused (uvicorn closes idle ones after 5 s); so does this."""
        return await self.again(lambda: self.client.get(url, headers=HTMX))

    async def again(self, send) -> httpx.Response:
        try:
            return await send()
        except (httpx.RemoteProtocolError, httpx.ReadError):
            self.tally.retried += 1
            return await send()

    @property
    def idle(self) -> bool:
        return self.timer is None and not self.in_flight and not self.pending

    # Presence: the bar on presence events and hellos (live.js: at most one fetch a second,
    # the last after a burst), a beat every 20 s

    def refresh_presence(self) -> None:
        if not self.follows_presence or self.presence_due is not None:
            return
        wait = max(0.0, self.presence_at + PRESENCE_SECONDS - time.monotonic())
        self.presence_due = asyncio.get_running_loop().call_later(wait, self.presence_now)

    def presence_now(self) -> None:
        self.presence_due, self.presence_at = None, time.monotonic()
        if not self.closed:
            self.spawn(self.fetch_presence())

    async def fetch_presence(self) -> None:
        try:
            answer = await self.get(self.presence_url)
            if answer.status_code != 200:
                self.tally.fail(f"presence bar answered {answer.status_code}")
        except httpx.HTTPError as error:
            self.tally.fail(f"presence bar: {type(error).__name__}")

    def start_beating(self) -> None:
        self.follows_presence = True
        self.spawn(self.beat())

    async def beat(self) -> None:
        await asyncio.sleep(random.uniform(0, BEAT_SECONDS))  # pages opened at random moments
        while not self.closed:
            try:
                beat = {"tab": self.tab, "editing": ""}
                answer = await self.again(
                    lambda beat=beat: self.client.post(self.beat_url, data=beat)
                )
                if answer.status_code != 204:
                    self.tally.fail(f"presence beat answered {answer.status_code}")
            except httpx.HTTPError as error:
                self.tally.fail(f"presence beat: {type(error).__name__}")
            await asyncio.sleep(BEAT_SECONDS)

    def spawn(self, work) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        self.closed = True
        for handle in (self.timer, self.presence_due):
            if handle:
                handle.cancel()
        for task in list(self.tasks):
            task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*self.tasks, return_exceptions=True)


def parse_message(block: str) -> tuple[str, str | None, str]:
    """An SSE message: its event type, data (None for a comment or no data) and id.

    A pushed fragment's data is thousands of lines of HTML that no page here reads: its fields
    come first (the server writes id, event, then data), and its data is kept whole, unsplit,
    so that the client spends its core on the pages and not on splitting HTML."""
    head, separator, rest = block.partition("\ndata:")
    if separator and "event: fragment" in head:
        return "fragment", rest, field_of(head, "id")
    kind, data, ident = "message", [], ""
    for line in block.split("\n"):
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            kind = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            ident = value
    return kind, "\n".join(data) if data else None, ident


def field_of(head: str, name: str) -> str:
    for line in head.split("\n"):
        key, _, value = line.partition(":")
        if key == name:
            return value.strip()
    return ""
