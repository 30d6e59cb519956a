"""PDF export: the canvas as a poster (A4 or A3 landscape), optionally with segment pages.

Layout is computed here, in millimetres, so that WeasyPrint only places boxes (absolutely
positioned blocks render several times faster than a grid, see ARCHITECTURE.md). Each block
gets the largest text size at which its notes fit; what does not fit even at the smallest size
continues on an extra page, with a pointer in the block: nothing is cut off silently.

Rendering happens in a forked child process with a time limit, and WeasyPrint fetches nothing
but the app's own bundled fonts: user text can name any URL, and none of them is ever opened.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import signal
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string

from .models import POSTER_ORDER, BlockKind

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"
ALLOWED_FILES = {f"file://{path}" for path in FONT_DIR.glob("*.ttf")}

PAGE_SIZES = {"a4": (297.0, 210.0), "a3": (420.0, 297.0)}  # landscape, mm
MARGIN, HEADER, LEGEND, GAP = 10.0, 13.0, 6.0, 2.0
BLOCK_HEAD, PAD = 8.5, 1.6  # block title and question; inner padding
FONT_SIZES = [10.0, 9.0, 8.0, 7.0, 6.5, 6.0]  # points, largest first
PT = 0.3528  # mm per point
CHAR_WIDTH = 0.56  # average glyph width of DejaVu Sans Condensed, in em (on the safe side)
LINE = 1.22

# (column, row, column span, row span) on a 10 x 3 grid: the classic poster.
GRID = {
    BlockKind.KEY_PARTNERS: (0, 0, 2, 2),
    BlockKind.KEY_ACTIVITIES: (2, 0, 2, 1),
    BlockKind.KEY_RESOURCES: (2, 1, 2, 1),
    BlockKind.VALUE_PROPOSITIONS: (4, 0, 2, 2),
    BlockKind.CUSTOMER_RELATIONSHIPS: (6, 0, 2, 1),
    BlockKind.CHANNELS: (6, 1, 2, 1),
    BlockKind.CUSTOMER_SEGMENTS: (8, 0, 2, 2),
    BlockKind.COST_STRUCTURE: (0, 2, 5, 1),
    BlockKind.REVENUE_STREAMS: (5, 2, 5, 1),
}
ROW_SHARES = [0.38, 0.38, 0.24]


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


@dataclass
class PlacedBlock:
    kind: str
    label: str
    question: str
    x: float
    y: float
    width: float
    height: float
    columns: int
    font_size: float
    notes: list = field(default_factory=list)
    overflow: list = field(default_factory=list)
    continued_on: int | None = None


def note_height(text: str, width: float, font_size: float) -> float:
    """A safe estimate of a note's height in mm at a font size (mm wide)."""
    chars_per_line = max(1, int((width - 2 * PAD) / (font_size * PT * CHAR_WIDTH)))
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
    return lines * font_size * PT * LINE + 2 * PAD + 1.2


def fit_notes(notes: list, width: float, height: float, columns: int, font_size: float) -> int:
    """How many notes, in order, fit in rows of `columns` within `height`."""
    note_width = (width - 2 * PAD - (columns - 1) * 1.5) / columns
    used, fitted = 0.0, 0
    for start in range(0, len(notes), columns):
        row = notes[start : start + columns]
        row_height = max(note_height(note.text, note_width, font_size) for note in row)
        if used + row_height > height:
            break
        used += row_height
        fitted += len(row)
    return fitted


def place_block(
    kind: BlockKind, box: tuple[float, float, float, float], notes: list
) -> PlacedBlock:
    x, y, width, height = box
    columns = 1 if width < 90 else (2 if width < 130 else 3)
    room = height - BLOCK_HEAD - PAD
    block = PlacedBlock(kind.value, kind.label, kind.question, x, y, width, height, columns, 10.0)
    for size in FONT_SIZES:
        if fit_notes(notes, width, room, columns, size) == len(notes):
            block.font_size, block.notes = size, notes
            return block
    smallest = FONT_SIZES[-1]
    # Leave a line for the "continues on page N" pointer.
    fitted = fit_notes(notes, width, room - 4, columns, smallest)
    block.font_size, block.notes, block.overflow = smallest, notes[:fitted], notes[fitted:]
    return block


def layout_poster(blocks_by_kind: dict, size: str) -> tuple[list[PlacedBlock], dict]:
    page_width, page_height = PAGE_SIZES[size]
    board_width = page_width - 2 * MARGIN
    board_height = page_height - 2 * MARGIN - HEADER - LEGEND
    column = (board_width + GAP) / 10
    rows = [share * (board_height + GAP) for share in ROW_SHARES]
    tops = [0.0, rows[0], rows[0] + rows[1]]
    placed = []
    for kind in POSTER_ORDER:
        col, row, col_span, row_span = GRID[kind]
        box = (
            col * column,
            tops[row],
            col_span * column - GAP,
            sum(rows[row : row + row_span]) - GAP,
        )
        placed.append(place_block(kind, box, blocks_by_kind.get(kind.value, [])))
    page = {"width": page_width, "height": page_height, "size": size}
    return placed, page


def number_continuations(placed: list[PlacedBlock]) -> bool:
    """Blocks that overflow continue on page 2 (all overflow pages start there)."""
    overflowing = [block for block in placed if block.overflow]
    for block in overflowing:
        block.continued_on = 2
    return bool(overflowing)


# Rendering


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


def poster_html(context: dict) -> str:
    return render_to_string("canvases/canvas_pdf.html", context)
