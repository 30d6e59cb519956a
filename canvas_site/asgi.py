"""The ASGI entry point: Django, with open event streams ended at once when the server stops.

Every open page holds an event stream that never ends by itself. On SIGINT or SIGTERM uvicorn
stops accepting connections, waits --timeout-graceful-shutdown seconds for the responses in
flight, then cancels them: an ERROR line, a CancelledError traceback for every open page, and
pages that reconnect to another process only that much later. uvicorn tells an app nothing
before then (lifespan shutdown comes after the wait, and uvicorn keeps it so on purpose: its
PR 2913 reverted sending `http.disconnect` at the signal), so this wrapper hears the signal
itself, chained in front of the server's own handler, and answers an event stream's pending
`receive()` with `http.disconnect`: Django ends the view as it does for a closed tab, the
wrapper sends the stream's last chunk, and the page reconnects and resyncs. Every other
response keeps the whole graceful window.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from types import FrameType
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvas_site.settings")

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]
SignalHandler = Callable[[int, FrameType | None], Any]


class EndStreamsOnShutdown:
    """ASGI middleware: when the server is told to stop, open event streams end cleanly."""

    def __init__(self, app: App):
        self.app = app
        self.stopping: asyncio.Event | None = None

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stopping = self.stopping or self.listen_for_stop()
        streaming = asyncio.Event()
        body_read = finished = False

        async def stream_stopped() -> None:
            await streaming.wait()
            await stopping.wait()

        async def receive_or_stop() -> Message:
            nonlocal body_read
            if not body_read:  # the request body: nothing to race
                message = await receive()
                body_read = not message.get("more_body")
                return message
            # Django's wait for a disconnect, pending for as long as the response lasts.
            received = asyncio.ensure_future(receive())
            stopped = asyncio.ensure_future(stream_stopped())
            try:
                await asyncio.wait({received, stopped}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopped.cancel()
                if not received.done():
                    received.cancel()
            return received.result() if received.done() else {"type": "http.disconnect"}

        async def noting_send(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/event-stream"):
                    streaming.set()
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        await self.app(scope, receive_or_stop, noting_send)
        if streaming.is_set() and not finished:
            # Django leaves a stream it cancelled unfinished; end it properly (to a client
            # that is already gone, the server sends nothing).
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    def listen_for_stop(self) -> asyncio.Event:
        """Create the flag on the server's loop and chain onto its SIGINT/SIGTERM handlers."""
        stopping = self.stopping = asyncio.Event()
        # Only the main thread can set handlers; a server running elsewhere keeps its own way.
        if threading.current_thread() is threading.main_thread():
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                server_handler = signal.getsignal(signum)
                if callable(server_handler):
                    signal.signal(signum, partial(set_then_call, loop, stopping, server_handler))
        return stopping


def set_then_call(
    loop: asyncio.AbstractEventLoop, event: asyncio.Event, handler: SignalHandler, signum: int,
    frame: FrameType | None,
) -> None:  # fmt: skip
    """A signal handler: set `event` on `loop`, then run the handler it stands in front of."""
    with contextlib.suppress(RuntimeError):  # the loop has closed already
        loop.call_soon_threadsafe(event.set)
    handler(signum, frame)


application = EndStreamsOnShutdown(get_asgi_application())
