"""The event bus behind live updates: one interface, three backends.

- MemoryBus: in-process fan-out, for SQLite and a single process.
- PostgresBus: NOTIFY on publish; ONE dedicated autocommit LISTEN connection per process hands
  events to the same in-process fan-out. After it reconnects, every local subscriber is told
  to resync, since events sent while it was away are lost.
- RedisBus (canvas_site.live_redis): PUBLISH on a channel per canvas; ONE pub/sub connection
  per process, subscribed to the canvases open here, hands events to the same fan-out, with
  the same resync after a reconnect. For more processes than one database listener serves.

Events carry ids and revision numbers only (NOTIFY payloads are limited to 8000 bytes); pages
fetch the fragments they need. Publishing happens on commit, so a rolled-back write sends
nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import re
import secrets
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from canvas_site.live_redis import RedisBus

logger = logging.getLogger(__name__)

CHANNEL = "canvas_events"
QUEUE_SIZE = 100
HEARTBEAT_SECONDS = 15.0

# The browser tab a write came from (an X-Canvas-Tab header), so that the tab that made a
# change does not fetch it again. Set per request by TabMiddleware.
current_tab: contextvars.ContextVar[str] = contextvars.ContextVar("current_tab", default="")
TAB_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def new_tab() -> str:
    """A name for one open page (a browser tab): its stream and presence go by it."""
    return secrets.token_urlsafe(12)


def valid_tab(value: str | None) -> str:
    return value if value and TAB_PATTERN.match(value) else ""


class TabMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_tab.set(valid_tab(request.headers.get("X-Canvas-Tab")))
        try:
            return self.get_response(request)
        finally:
            current_tab.reset(token)


@dataclass(eq=False)
class Subscription:
    """One open event stream: a bounded queue fed from whatever thread publishes."""

    canvas_id: int
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    fanout: LocalFanout | None = None

    def deliver(self, event: dict) -> None:
        """Called on the subscriber's loop; a full queue is replaced by one resync."""
        if self.queue.full():
            while not self.queue.empty():
                self.queue.get_nowait()
            event = {"event": "resync", "canvas": self.canvas_id}
        self.queue.put_nowait(event)

    async def get(self) -> dict:
        return await self.queue.get()

    def waiting(self, limit: int = QUEUE_SIZE) -> list[dict]:
        """The events already queued, taken without waiting."""
        events = []
        while len(events) < limit and not self.queue.empty():
            events.append(self.queue.get_nowait())
        return events

    def close(self) -> None:
        if self.fanout is not None:
            self.fanout.remove(self)


class LocalFanout:
    """Per-canvas sets of subscriptions in this process."""

    def __init__(self):
        self._subscribers: dict[int, set[Subscription]] = defaultdict(set)
        self._lock = threading.Lock()

    def add(self, canvas_id: int) -> Subscription:
        subscription = Subscription(canvas_id, asyncio.get_running_loop(), fanout=self)
        with self._lock:
            self._subscribers[canvas_id].add(subscription)
        return subscription

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            subscribers = self._subscribers.get(subscription.canvas_id, set())
            subscribers.discard(subscription)
            if not subscribers:  # a long-lived process sees many canvases come and go
                self._subscribers.pop(subscription.canvas_id, None)

    def canvases(self) -> set[int]:
        """The canvases that have at least one subscriber in this process."""
        with self._lock:
            return {canvas_id for canvas_id, subs in self._subscribers.items() if subs}

    def count(self, canvas_id: int | None = None) -> int:
        with self._lock:
            if canvas_id is not None:
                return len(self._subscribers.get(canvas_id, ()))
            return sum(len(subs) for subs in self._subscribers.values())

    def dispatch(self, event: dict) -> None:
        """Hand an event to every local subscriber of its canvas, from any thread."""
        with self._lock:
            targets = list(self._subscribers.get(event["canvas"], ()))
        for subscription in targets:
            self._hand(subscription, event)

    def resync_everyone(self, canvas_id: int | None = None) -> None:
        """Tell every local subscriber (of one canvas, if given) to fetch its page again."""
        with self._lock:
            everyone = [
                sub
                for canvas, subs in self._subscribers.items()
                if canvas_id in (None, canvas)
                for sub in subs
            ]
        for subscription in everyone:
            self._hand(subscription, {"event": "resync", "canvas": subscription.canvas_id})

    def _hand(self, subscription: Subscription, event: dict) -> None:
        try:
            subscription.loop.call_soon_threadsafe(subscription.deliver, event)
        except RuntimeError:  # that loop is closed: the stream is gone
            self.remove(subscription)


class MemoryBus:
    """In-process only: enough for SQLite and one server process."""

    def __init__(self):
        self.local = LocalFanout()

    async def subscribe(self, canvas_id: int) -> Subscription:
        return self.local.add(canvas_id)

    def publish(self, event: dict) -> None:
        self.local.dispatch(event)


class PostgresBus:
    """NOTIFY to publish, one LISTEN connection per process to receive."""

    def __init__(self):
        self.local = LocalFanout()
        self._task: asyncio.Task | None = None
        self._ready = asyncio.Event()
        self._connected_before = False
        self.listener_pid: int | None = None

    async def subscribe(self, canvas_id: int) -> Subscription:
        subscription = self.local.add(canvas_id)
        if self._task is None or self._task.done():
            self._ready = asyncio.Event()
            self._task = asyncio.create_task(self._listen(), name="canvas-events-listener")
        try:
            await asyncio.wait_for(self._ready.wait(), timeout=5)
        except TimeoutError:
            logger.warning("The event listener is not connected yet; the page will resync.")
        return subscription

    def publish(self, event: dict) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps(event)])

    async def _listen(self) -> None:
        import psycopg

        delay = 0.25
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **conninfo(), autocommit=True
                ) as listener:
                    await listener.execute(f"LISTEN {CHANNEL}")
                    self.listener_pid = listener.info.backend_pid
                    if self._connected_before:
                        self.local.resync_everyone()
                    self._connected_before = True
                    self._ready.set()
                    delay = 0.25
                    async for notify in listener.notifies():
                        self.local.dispatch(json.loads(notify.payload))
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Event listener lost its connection; reconnecting.", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)


def conninfo() -> dict:
    """psycopg keyword arguments for the listening connection (never through pgbouncer)."""
    db = connection.settings_dict
    info = {"dbname": db["NAME"], "user": db.get("USER") or None, "host": db.get("HOST") or None}
    if db.get("PORT"):
        info["port"] = db["PORT"]
    if db.get("PASSWORD"):
        info["password"] = db["PASSWORD"]
    return {key: value for key, value in info.items() if value is not None}


_bus: MemoryBus | PostgresBus | RedisBus | None = None


def get_bus() -> MemoryBus | PostgresBus | RedisBus:
    global _bus
    if _bus is None:
        if settings.LIVE_BUS == "redis":
            _bus = RedisBus(settings.REDIS_URL, LocalFanout())
        else:
            _bus = PostgresBus() if settings.LIVE_BUS == "postgres" else MemoryBus()
    return _bus


def publish_on_commit(event: dict) -> None:
    """Send `event` to every open page of its canvas once the current transaction commits."""

    def send() -> None:
        try:
            get_bus().publish(event)
        except Exception:  # the write succeeded; pages catch up on their next resync
            logger.exception("Could not publish a live event")

    transaction.on_commit(send)


def sse_message(event: str, data: dict, *, event_id: int | None = None) -> str:
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"event: {event}")
    lines.append(f"data: {json.dumps(data)}")
    return "\n".join(lines) + "\n\n"
