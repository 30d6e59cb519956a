"""The Redis backend of the event bus: the same guarantees as PostgreSQL's LISTEN, one pub/sub
connection per process, and a resync for every page after that connection is lost.

Runs when Redis answers at REDIS_URL (default redis://127.0.0.1:6379/14, a database number of
these tests' own); skipped otherwise, and failed in CI, which starts Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.urls import reverse

from canvas_site import live, live_redis
from canvas_site.live_redis import RedisBus
from canvases import services
from tests.conftest import needs_postgres
from tests.servers import DatabaseProxy, Server

from .test_concurrency import EventReader, add_note_through, session_cookies
from .test_live import run

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url() -> str:
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI runs the Redis bus on it)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (start redis-server to run these)")
    return REDIS_URL


def canvas_ids(count: int) -> list[int]:
    """Ids no other run on the same Redis uses at the same time (channels are server-wide)."""
    start = random.randrange(10**9, 2 * 10**9)
    return list(range(start, start + count))


def publish_from_a_thread(bus: RedisBus, *events: dict) -> None:
    """Publishing happens in request threads, not on the event loop."""
    thread = threading.Thread(target=lambda: [bus.publish(event) for event in events])
    thread.start()
    thread.join()


def connections_named(name: str) -> list[dict]:
    client = redis.Redis.from_url(REDIS_URL)
    return [info for info in client.client_list(_type="pubsub") if info["name"] == name]


def subscribers(channel: str) -> int:
    return dict(redis.Redis.from_url(REDIS_URL).pubsub_numsub(channel))[channel.encode()]


async def eventually(check, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.02)


def test_redis_bus_delivers_to_subscribers_of_that_canvas_only(redis_url):
    mine_id, other_id = canvas_ids(2)

    async def scenario():
        bus = RedisBus(redis_url, live.LocalFanout())
        mine, other = await bus.subscribe(mine_id), await bus.subscribe(other_id)
        publish_from_a_thread(bus, {"event": "notesChanged", "canvas": mine_id, "revision": 3})
        event = await asyncio.wait_for(mine.get(), timeout=2)
        assert event == {"event": "notesChanged", "canvas": mine_id, "revision": 3}
        # One connection carries both canvases, in order: once the other canvas's later
        # event is here, nothing of the first reached it.
        (connection,) = connections_named(bus.client_name)
        assert connection["sub"] == "2"
        publish_from_a_thread(bus, {"event": "presence", "canvas": other_id})
        assert (await asyncio.wait_for(other.get(), timeout=2))["event"] == "presence"
        assert other.queue.empty() and mine.queue.empty()

        # A canvas nobody here follows any more is unsubscribed.
        mine.close()
        await bus.forget_unused()
        await eventually(lambda: subscribers(bus.prefix + str(mine_id)) == 0)
        assert subscribers(bus.prefix + str(other_id)) == 1

    run(scenario())


def test_a_subscriber_that_falls_behind_gets_one_resync(redis_url):
    slow_id, witness_id = canvas_ids(2)

    async def scenario():
        bus = RedisBus(redis_url, live.LocalFanout())
        slow, witness = await bus.subscribe(slow_id), await bus.subscribe(witness_id)
        flood = [
            {"event": "notesChanged", "canvas": slow_id, "revision": revision}
            for revision in range(live.QUEUE_SIZE + 5)
        ]
        publish_from_a_thread(bus, *flood, {"event": "presence", "canvas": witness_id})
        # One connection keeps the order: when the witness hears, the flood was delivered.
        await asyncio.wait_for(witness.get(), timeout=5)
        events = []
        while not slow.queue.empty():
            events.append(slow.queue.get_nowait())
        assert events[0] == {"event": "resync", "canvas": slow_id}
        revisions = [event["revision"] for event in events[1:]]
        assert revisions == list(range(live.QUEUE_SIZE + 1, live.QUEUE_SIZE + 5))

    run(scenario())


class Relay(DatabaseProxy):
    """A TCP relay in front of Redis: `cut()` drops every connection through it, `silence()`
    makes the open ones hear nothing without closing (a dropped NAT or load-balancer entry)."""

    def __init__(self):
        url = urlsplit(REDIS_URL)
        super().__init__((url.hostname or "127.0.0.1", url.port or 6379))
        self.silenced: set[socket.socket] = set()
        auth, _, _ = url.netloc.rpartition("@")  # a password stays, the address changes
        netloc = f"{auth}@127.0.0.1:{self.port}" if auth else f"127.0.0.1:{self.port}"
        self.redis_url = url._replace(netloc=netloc).geturl()

    def silence(self) -> None:
        with self._lock:
            self.silenced.update(self._open)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if source not in self.silenced:
                    sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def test_pages_resync_when_redis_comes_back_and_events_flow_again(redis_url, monkeypatch):
    monkeypatch.setattr(live_redis, "WAIT_SECONDS", 0.3)
    monkeypatch.setattr(live_redis, "PING_SECONDS", 0.3)
    (canvas_id,) = canvas_ids(1)
    relay = Relay()
    direct = RedisBus(redis_url, live.LocalFanout())  # publishes past the relay

    async def next_event(subscription) -> dict:
        return await asyncio.wait_for(subscription.get(), timeout=5)

    async def scenario():
        bus = RedisBus(relay.redis_url, live.LocalFanout())
        # Redis is away when the page opens: its stream starts anyway, and resyncs later.
        page = await bus.subscribe(canvas_id)
        relay.restore()
        assert await next_event(page) == {"event": "resync", "canvas": canvas_id}
        direct.publish({"event": "presence", "canvas": canvas_id})
        assert (await next_event(page))["event"] == "presence"

        for outage in (relay.cut, relay.silence):
            outage()
            direct.publish({"event": "notesChanged", "canvas": canvas_id, "revision": 1})
            if outage == relay.cut:
                relay.restore()
            # Whatever was sent meanwhile is lost: the page is told to resync instead.
            assert await next_event(page) == {"event": "resync", "canvas": canvas_id}
            direct.publish({"event": "presence", "canvas": canvas_id})
            assert (await next_event(page))["event"] == "presence"

    try:
        run(scenario())
    finally:
        relay.cut()


@pytest.mark.django_db(transaction=True)
@needs_postgres("several uvicorn processes on one test database")
def test_a_change_through_one_process_reaches_streams_served_by_another(
    redis_url, team, editor, owner
):
    canvas = services.create_canvas(team=team, title="Processes", author=owner)
    other = services.create_canvas(team=team, title="Another", author=owner)
    cookies = session_cookies(editor)
    env = {"LIVE_BUS": "redis", "REDIS_URL": redis_url}
    one, two = Server(env=env).start(), Server(env=env).start()
    try:
        readers = [
            EventReader(two.url + reverse("canvases:canvas-events", args=[c.pk]), cookies)
            for c in (canvas, other)
        ]
        for reader in readers:
            reader.start()
        hello = readers[0].wait_for("hello")
        readers[1].wait_for("hello")

        add_note_through(one, canvas, cookies, "Through process one")
        event = readers[0].wait_for("notesChanged", after=hello["revision"])
        assert event["blocks"] == ["channels"]

        # Process two holds ONE pub/sub connection for both canvases. Killed: it reconnects
        # and tells its pages to resync (events sent meanwhile are lost); later events flow.
        (connection,) = connections_named(f"canvas-events-{two.process.pid}")
        assert connection["sub"] == "2"
        redis.Redis.from_url(redis_url).client_kill_filter(_id=connection["id"])
        for reader in readers:
            reader.wait_for("resync")
        add_note_through(one, canvas, cookies, "After the reconnect")
        readers[0].wait_for("notesChanged", after=event["revision"])
    finally:
        one.stop()
        two.stop()
