"""The Redis backend of the event bus (canvas_site.live): PUBLISH to send, one pub/sub
connection per process to receive, for more processes than one database listener serves well.

- A channel per canvas, `canvas_events:<db>:<canvas id>`: a process subscribes only to the
  canvases it has pages open on, so with hundreds of processes an event reaches the few that
  show that canvas, not all of them (which a pattern subscription would do). The Redis database
  number is part of the name because pub/sub ignores database numbers.
- A stream starts once Redis has confirmed its canvas's channel. Channels nobody here follows
  any more are unsubscribed on the next sweep (a minute); all commands on the connection go
  through one lock, so an UNSUBSCRIBE and a later SUBSCRIBE of one channel keep their order.
- Redis keeps nothing for a subscriber that is away: after the connection is lost and
  regained (it subscribes again first), every local page is told to resync, and so is a page
  whose stream started before its channel was confirmed. redis-py must not reconnect by
  itself (no retries), or a loss would go unnoticed. A connection that answers no PING for
  ~8 s counts as lost: a dropped NAT or load-balancer entry leaves a socket that hears nothing.

Events stay small JSON (ids and revisions). This module imports nothing of the project:
live.py hands it the local fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from typing import Any, Protocol

import redis
import redis.asyncio
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

PING_SECONDS = 5.0  # a quiet connection is pinged this often; ~1.5 times as long silent: lost
SWEEP_SECONDS = 60.0
WAIT_SECONDS = 5.0  # how long a new stream waits for its channel before it starts anyway


class Fanout(Protocol):
    """What RedisBus needs of canvas_site.live.LocalFanout."""

    def add(self, canvas_id: int) -> Any: ...
    def canvases(self) -> set[int]: ...
    def dispatch(self, event: dict) -> None: ...
    def resync_everyone(self, canvas_id: int | None = None) -> None: ...


class RedisBus:
    """PUBLISH to a channel per canvas; one pub/sub connection per process to receive."""

    def __init__(self, url: str, local: Fanout):
        self.local = local
        # Request threads publish; one quick retry covers a pooled connection Redis closed.
        self._publisher = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2, retry=Retry(NoBackoff(), 1)
        )
        self.client_name = f"canvas-events-{os.getpid()}"  # CLIENT LIST shows whose it is
        self._client = redis.asyncio.Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=5, socket_keepalive=True,
            retry=AsyncRetry(NoBackoff(), 0), client_name=self.client_name,
        )  # fmt: skip
        db = self._publisher.connection_pool.connection_kwargs.get("db", 0)
        self.prefix = f"canvas_events:{db}:"
        self._task: asyncio.Task | None = None
        self._connected = asyncio.Event()
        self._commands = asyncio.Lock()
        self._pubsub: redis.asyncio.client.PubSub | None = None
        self._listening: set[str] = set()  # channels Redis confirmed on this connection
        self._confirming: dict[str, asyncio.Future] = {}
        self._late: set[int] = set()  # canvases with a stream that started unconfirmed
        self._was_connected = False

    async def subscribe(self, canvas_id: int):
        subscription = self.local.add(canvas_id)
        if self._task is None or self._task.done():
            # On this loop (a test may have run an earlier one), with a fresh state.
            self._connected, self._commands = asyncio.Event(), asyncio.Lock()
            self._task = asyncio.create_task(self._listen(), name="canvas-events-listener")
        try:
            await asyncio.wait_for(self._listen_to(canvas_id), timeout=WAIT_SECONDS)
        except (TimeoutError, redis.RedisError):
            self._late.add(canvas_id)
            logger.warning("Not listening to canvas %s yet; its pages will resync.", canvas_id)
        return subscription

    def publish(self, event: dict) -> None:
        self._publisher.publish(self.prefix + str(event["canvas"]), json.dumps(event))

    async def forget_unused(self) -> None:
        """Unsubscribe from the canvases nobody follows in this process any more."""
        async with self._commands:
            if self._pubsub is None or not self._connected.is_set():
                return
            unused = self._listening - {self.prefix + str(c) for c in self.local.canvases()}
            if unused:
                self._listening -= unused
                await self._pubsub.unsubscribe(*unused)

    async def _listen_to(self, canvas_id: int) -> None:
        """Return once Redis has confirmed that this process hears the canvas's channel."""
        channel = self.prefix + str(canvas_id)
        while True:
            await self._connected.wait()
            async with self._commands:
                if self._pubsub is None or not self._connected.is_set():
                    continue  # lost meanwhile: wait for the next connection
                if channel in self._listening:
                    return
                confirmed = self._confirming.get(channel)
                if confirmed is None:
                    confirmed = asyncio.get_running_loop().create_future()
                    self._confirming[channel] = confirmed
                    await self._pubsub.subscribe(channel)
            # Other streams may wait for the same channel. Not confirmed: the connection was
            # lost, and the next one subscribes to every canvas followed here.
            if await asyncio.shield(confirmed):
                return

    async def _listen(self) -> None:
        delay = 0.25
        while True:
            pubsub = self._client.pubsub()
            try:
                await self._connect(pubsub)
                delay = 0.25
                await self._read(pubsub)
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as error:
                logger.warning("Event listener lost Redis (%s); reconnecting.", error)
            except Exception:
                logger.exception("Event listener failed; reconnecting.")
            finally:
                self._disconnected()
                with contextlib.suppress(redis.RedisError, OSError):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)

    async def _connect(self, pubsub: redis.asyncio.client.PubSub) -> None:
        """Subscribe a new connection to every canvas followed here, then resync if it is
        not the first: events sent while no connection listened are lost."""
        await pubsub.connect()
        async with self._commands:
            channels = {self.prefix + str(canvas_id) for canvas_id in self.local.canvases()}
            if channels:
                await pubsub.subscribe(*channels)
            self._pubsub = pubsub
        while not channels <= self._listening:
            message = await pubsub.get_message(timeout=PING_SECONDS)
            if message is None:
                raise redis.ConnectionError("Redis did not confirm the subscriptions")
            self._handle(message)
        self._connected.set()
        if self._was_connected:
            self.local.resync_everyone()
        self._was_connected = True

    async def _read(self, pubsub: redis.asyncio.client.PubSub) -> None:
        loop = asyncio.get_running_loop()
        heard = swept = loop.time()
        while True:
            message = await pubsub.get_message(timeout=PING_SECONDS)
            now = loop.time()
            if message is not None:
                heard = now
                self._handle(message)
            elif now - heard > 1.5 * PING_SECONDS:
                raise redis.ConnectionError("Redis stopped answering the event listener")
            else:
                async with self._commands:
                    await pubsub.ping()
            if now - swept > SWEEP_SECONDS:
                swept = now
                await self.forget_unused()

    def _handle(self, message: dict) -> None:
        if message["type"] == "message":
            self.local.dispatch(json.loads(message["data"]))
        elif message["type"] == "subscribe":
            channel = message["channel"].decode()
            self._listening.add(channel)
            confirmed = self._confirming.pop(channel, None)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(True)
            canvas_id = int(channel.removeprefix(self.prefix))
            if canvas_id in self._late:  # its stream started before this: events may be lost
                self._late.discard(canvas_id)
                self.local.resync_everyone(canvas_id)

    def _disconnected(self) -> None:
        self._connected.clear()
        self._pubsub = None
        self._listening.clear()
        for confirmed in self._confirming.values():
            if not confirmed.done():
                confirmed.set_result(False)
        self._confirming.clear()
