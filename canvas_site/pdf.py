"""HTML to PDF, safely: WeasyPrint in a forked child with a time limit, a few at a time.

WeasyPrint fetches nothing but the app's own bundled fonts and print stylesheet (user text
can name any URL, file or data: address, and none of them is ever opened). A runaway document
is killed at PDF_RENDER_TIMEOUT_SECONDS; at most PDF_RENDER_CONCURRENCY render at once per
process, PDF_RENDER_QUEUE more wait, and past that the caller is told to come back (503).
Every PDF of the app (poster, pack, workshop summary) goes through `render_with_limit`.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"
ALLOWED_FILES = {f"file://{path}" for path in FONT_DIR.glob("*.ttf")}


class RenderError(Exception):
    """The PDF could not be made; the message says why, for the person who asked."""

    retry_after = 30  # seconds, for the 503's Retry-After


class RenderersBusy(RenderError):
    """Every renderer of this process is busy and the queue is full: try again shortly."""

    retry_after = 10


class RenderSlots:
    """At most `slots` renders at once in this process, and at most `queue` more waiting:
    a burst of exports is served in turn or told at once to come back, instead of forking
    renderers that starve each other of CPU until every one of them times out."""

    def __init__(self, slots: int, queue: int):
        self._free = threading.BoundedSemaphore(slots)
        self._room = slots + queue
        self._taken = 0
        self._lock = threading.Lock()

    @property
    def taken(self) -> int:
        """Renders running or waiting now."""
        return self._taken

    def refuse_when_full(self) -> None:
        """Refuse before the caller builds a document that could not be rendered anyway."""
        if self._taken >= self._room:
            raise RenderersBusy(BUSY_MESSAGE)

    @contextlib.contextmanager
    def slot(self, *, wait: float):
        with self._lock:
            if self._taken >= self._room:
                raise RenderersBusy(BUSY_MESSAGE)
            self._taken += 1
        try:
            if not self._free.acquire(timeout=wait):
                raise RenderersBusy(BUSY_MESSAGE)
            try:
                yield
            finally:
                self._free.release()
        finally:
            with self._lock:
                self._taken -= 1


BUSY_MESSAGE = "Many PDFs are being made right now. Nothing was lost: try again in a few seconds."
_slots: RenderSlots | None = None


def render_slots() -> RenderSlots:
    global _slots
    if _slots is None:
        _slots = RenderSlots(settings.PDF_RENDER_CONCURRENCY, settings.PDF_RENDER_QUEUE)
    return _slots


class SafeFetcher:
    """Allows the app's bundled font files and nothing else: no network, no other file,
    no data: URL, whatever a note says."""

    def __init__(self):
        from weasyprint.urls import URLFetcher

        self._fetcher = URLFetcher(allowed_protocols={"file"}, allow_redirects=False, timeout=1)

    def __call__(self, url: str, *args, **kwargs):
        if url not in ALLOWED_FILES:
            raise ValueError(f"Refused to fetch {url[:80]!r}: PDFs use bundled files only.")
        return self._fetcher.fetch(url)

    fetch = __call__


def font_face_css() -> str:
    faces = [
        ("Canvas Sans", "DejaVuSans.ttf", "normal"),
        ("Canvas Sans", "DejaVuSans-Bold.ttf", "bold"),
        ("Canvas Condensed", "DejaVuSansCondensed.ttf", "normal"),
        ("Canvas Condensed", "DejaVuSansCondensed-Bold.ttf", "bold"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: url("file://{FONT_DIR / name}"); }}'
        for family, name, weight in faces
    )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint, with the safe fetcher on the document and on every stylesheet."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = SafeFetcher()
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_face_css(), url_fetcher=fetcher, font_config=fonts),
        CSS(string=PRINT_CSS.read_text(), url_fetcher=fetcher, font_config=fonts),
    ]
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    seconds: float
    peak_memory_kb: int


def render_with_limit(html: str, *, timeout: float | None = None) -> Rendered:
    """Render when a slot is free (RenderersBusy when the queue is full or the wait too long),
    in a forked child killed at the time limit. The document is built: the database
    connection goes back to the pool meanwhile, for requests that need it now."""
    if not connection.in_atomic_block:  # (tests run inside one: that connection must stay)
        connection.close()
    with render_slots().slot(wait=settings.PDF_QUEUE_WAIT):
        return render_in_child(html, timeout=timeout)


def render_in_child(html: str, *, timeout: float | None = None) -> Rendered:
    """Render in a forked child: a runaway document is killed at the time limit, and the
    child's peak memory is measured (bench/pdf.py prints it)."""
    timeout = timeout or settings.PDF_RENDER_TIMEOUT
    import weasyprint  # noqa: F401  (imported once here, so that every fork starts warm)

    started = time.perf_counter()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child renders and reports through the pipe, nothing else
        os.close(read_end)
        code = 0
        try:
            pdf = html_to_pdf(html)
            os.write(write_end, struct.pack("!Q", len(pdf)))
            view = memoryview(pdf)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        data = _read_all(read_end, started + timeout)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        os.wait4(pid, 0)
        raise RenderError(
            f"Making the PDF took longer than {timeout:.0f} seconds and was stopped. "
            "Try the A3 size, fewer segments, or shorter notes."
        ) from None
    finally:
        os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    if status != 0 or len(data) < 8:
        raise RenderError("The PDF could not be made. Please try again.")
    length = struct.unpack("!Q", data[:8])[0]
    return Rendered(data[8 : 8 + length], time.perf_counter() - started, usage.ru_maxrss)


def _read_all(fd: int, deadline: float) -> bytes:
    chunks = []
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
