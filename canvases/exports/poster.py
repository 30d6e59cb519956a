"""The PDF poster: the canvas on one page (A4 or A3 landscape), optionally with more pages.

Layout is computed here, in millimetres, so that WeasyPrint only places boxes (absolutely
positioned blocks render several times faster than a grid, see ARCHITECTURE.md). Each block
gets the largest text size at which its notes fit; what does not fit even at the smallest size
continues on an extra page, with a pointer in the block: nothing is cut off silently.
Rendering is canvas_site.pdf's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from canvases.models import EVERYONE, POSTER_ORDER, BlockKind, Canvas, Note
from canvases.registry import Extras, PackPage

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


def poster_context(canvas: Canvas, size: str, pages: list[PackPage]) -> dict:
    """What the print template needs (also bench/pdf.py): the notes everyone may read, placed
    on the page, with the extensions' marks and legends, and the pack's pages."""
    canvas = Canvas.objects.select_related("team").get(pk=canvas.pk)
    extras = Extras.load(canvas)
    notes = Note.objects.visible_to(EVERYONE).of_canvas(canvas).select_related("block")
    notes = list(notes.order_by("position", "pk"))
    extras.decorate(notes)
    by_kind: dict[str, list] = {}
    for note in notes:
        by_kind.setdefault(note.block.kind, []).append(note)
    placed, page = layout_poster(by_kind, size)
    return {
        "canvas": canvas,
        "today": timezone.localdate(),
        "page": page,
        "board_width": page["width"] - 2 * MARGIN,
        "board_height": page["height"] - 2 * MARGIN - HEADER - LEGEND,
        "placed": placed,
        "has_overflow": number_continuations(placed),
        "legends": extras.legend(canvas),
        "pack_pages": pages,
    }


def poster_html(context: dict) -> str:
    return render_to_string("canvases/exports/poster.html", context)
