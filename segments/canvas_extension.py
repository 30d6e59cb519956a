"""What segments add to canvases (canvases.registry), registered in SegmentsConfig.ready():
the segment list in Customer Segments, the lens and the gap checks above the board, coloured
dots on notes, a "segments" field in the note editor saved with the note, the segments'
section of the canvas file, the PDF legend and pack pages, and the demo's segments."""

from __future__ import annotations

from dataclasses import dataclass

from canvases.models import Block, Canvas, Note
from canvases.registry import Badge, CanvasExtension, EditorField, PackChoice, PackPage

from .board import SegmentBoard, attach_segments, find_gaps, load_segments
from .canvas_file import SegmentsSection
from .comments import SEGMENT, TARGETS, attach_comment_counts
from .demo import add_demo_profiles, add_demo_segments
from .forms import NoteSegmentsForm
from .models import Segment, SegmentColour
from .pack import segment_pack

PARTS = "segments/canvas_parts.html"


@dataclass
class Loaded:
    segments: list[Segment]
    lens: Segment | None


class SegmentsOnCanvases(CanvasExtension):
    panels = {
        "tools": [f"{PARTS}#lens-bar", f"{PARTS}#checks-panel"],
        "block:customer_segments": [f"{PARTS}#segment-panel"],
        "refresh_all": [f"{PARTS}#segment-list", f"{PARTS}#lens-bar"],
        "refresh_notes": [f"{PARTS}#checks-panel"],
    }
    live_events = {"segment": "segmentsChanged", "profile": "profileChanged"}
    file_sections = [SegmentsSection()]
    comment_targets = TARGETS
    pack_param = "segments"
    pack_title = "Add segment pages (profile, value map, fit, economics) for a pack"
    legend_title = "Customer segments"

    def board_state(self, canvas: Canvas, *, lens: str | None = None) -> Loaded:
        segments = load_segments(canvas)
        attach_comment_counts(canvas, SEGMENT, segments)  # the cards' badges
        return Loaded(segments, next((s for s in segments if s.ref == lens), None))

    def decorate_notes(self, notes: list[Note], state: Loaded) -> None:
        attach_segments(notes, state.segments, state.lens)

    def page_context(self, canvas: Canvas, blocks: list[Block], state: Loaded) -> dict:
        notes = [note for block in blocks for note in block.live_notes]
        gaps = find_gaps(canvas, state.segments, notes)
        return {
            "segment_board": SegmentBoard(state.segments, state.lens, gaps),
            "segment_list": state.segments,
            "segment_colours": SegmentColour.choices,
        }

    def lens_key(self, state: Loaded) -> str:
        return state.lens.ref if state.lens else ""

    def editor_fields(self, canvas: Canvas, note: Note, *, data=None) -> list[EditorField]:
        """Which segments the note serves: members choose, guests do not see the choice."""
        if getattr(canvas, "guest", None) is not None:
            return []
        segments = load_segments(canvas)
        if not segments and (data is None or "segments_shown" not in data):
            return []
        field = EditorField("segments", f"{PARTS}#note-segments-field")
        if data is None:
            chosen = {str(pk) for pk in note.segments.values_list("pk", flat=True)}
        else:
            chosen = set(data.getlist("segments"))
            if "segments_shown" in data:  # the editor showed the choice: what it sends is wanted
                form = NoteSegmentsForm(data, canvas=canvas)
                if form.is_valid():
                    field.value = list(form.cleaned_data["segments"])
                else:
                    field.error = form.errors["segments"][0]
        field.data["choices"] = [(segment, segment.ref in chosen) for segment in segments]
        return [field]

    def note_state(self, note: Note, *, proposed: dict) -> dict:
        segments = proposed.get("segments")
        if segments is None:
            segments = note.segments.all() if note.pk else []
        return {"segments": sorted(({"id": s.pk, "name": s.name} for s in segments), key=by_id)}

    def save_note_fields(self, note: Note, values: dict) -> None:
        if values.get("segments") is not None:
            note.segments.set(values["segments"])

    def fields_from_state(self, note: Note, state: dict) -> dict:
        if "segments" not in state:
            return {}  # kept before notes had segments in their history
        wanted = [item["id"] for item in state["segments"]]
        return {"segments": list(Segment.objects.filter(canvas=note.block.canvas, pk__in=wanted))}

    def legend(self, canvas: Canvas, state: Loaded) -> list[Badge]:
        return [
            Badge(f"seg--{s.colour}", s.name + (" (focus)" if s.is_focus else ""))
            for s in state.segments
        ]

    def pack_choices(self, canvas: Canvas) -> list[PackChoice]:
        return [
            PackChoice(s.ref, s.name, Badge(f"seg--{s.colour}", s.name))
            for s in load_segments(canvas)
        ]

    def pack_pages(self, canvas: Canvas, chosen: list[str]) -> list[PackPage]:
        segments = {segment.ref: segment for segment in load_segments(canvas)}
        if any(ref not in segments for ref in chosen):
            raise ValueError("Pick segments of this canvas for the pack.")
        return [
            PackPage("segments/pack_page.html", segment_pack(canvas, segments[ref]))
            for ref in chosen
        ]

    def demo(self, canvas: Canvas, author) -> None:
        add_demo_segments(canvas, author)
        add_demo_profiles(canvas, author)


def by_id(item: dict) -> int:
    return item["id"]
