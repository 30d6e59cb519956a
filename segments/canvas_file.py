"""The segments' section of the canvas file: every segment with its criteria, dated figures,
customer profile, value map and empathy map, and on each note the segments it is linked to.
Registered with canvases' file (canvases.exports.canvas_file) by SegmentsConfig.ready()."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from canvases.exports.canvas_file import ImportError_
from canvases.exports.comments_file import (
    NewThread,
    create_threads,
    thread_out,
    threads_with_comments,
)
from canvases.models import Canvas, Note
from canvases.registry import FileSection

from . import services
from .comments import ENTRY, SEGMENT
from .file_items import FiguresIn, SegmentIn
from .forms import ECONOMIC_ERRORS
from .models import (
    EmpathyEntry,
    EmpathyQuadrant,
    ProfileEntry,
    ProfileList,
    Segment,
    SegmentCriterion,
    SegmentSnapshot,
    ValueMapItem,
    ValueMapKind,
)


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def figures_out(source) -> dict:
    """A segment's or snapshot's figures for the file: amounts as exact strings."""
    return {
        name: money(value) if isinstance(value, Decimal) else value
        for name, value in source.figures().items()
    }


def figures_in(item: FiguresIn) -> dict:
    return {name: getattr(item, name) for name in Segment.ECONOMIC_FIELDS}


def segment_out(
    segment: Segment, ref: str, note_refs: dict[int, str], threads: dict[tuple[str, int], dict]
) -> dict:
    entries = sorted(
        segment.profile_entries.all(),
        key=lambda e: (ProfileList.values.index(e.list), e.position, e.pk),
    )
    entry_refs = {entry.pk: f"p{index}" for index, entry in enumerate(entries, 1)}
    empathy = sorted(
        segment.empathy_entries.all(),
        key=lambda e: (EmpathyQuadrant.values.index(e.quadrant), e.position, e.pk),
    )
    empathy_refs = {entry.pk: f"e{index}" for index, entry in enumerate(empathy, 1)}
    items = sorted(
        segment.value_map_items.all(),
        key=lambda i: (ValueMapKind.values.index(i.kind), i.position, i.pk),
    )
    return {
        "ref": ref,
        "name": segment.name,
        "description": segment.description,
        "segment_type": segment.segment_type,
        "paying_side": segment.paying_side,
        "has_celebrities": segment.has_celebrities,
        "has_tastemakers": segment.has_tastemakers,
        "has_curators": segment.has_curators,
        "colour": segment.colour,
        "rank": segment.rank,
        **figures_out(segment),
        "thread": threads.get((SEGMENT, segment.pk)),
        "criteria": [
            {"base": c.base, "text": c.text}
            for c in sorted(segment.criteria.all(), key=lambda c: (c.base, c.position, c.pk))
        ],
        "snapshots": [
            {"recorded_on": s.recorded_on.isoformat(), **figures_out(s)}
            for s in sorted(segment.snapshots.all(), key=lambda s: s.recorded_on)
        ],
        "profile": [
            {
                "ref": entry_refs[e.pk],
                "list": e.list,
                "text": e.text,
                "score": e.score,
                "job_kind": e.job_kind,
                "job_role": e.job_role,
                "context": e.context,
                "gain_kind": e.gain_kind,
                "from_empathy": empathy_refs.get(e.from_empathy_id),
                "thread": threads.get((ENTRY, e.pk)),
            }
            for e in entries
        ],
        "value_map": [
            {
                "kind": item.kind,
                "text": item.text,
                "addresses": sorted(
                    (entry_refs[a.pk] for a in item.addresses.all() if a.pk in entry_refs),
                    key=lambda r: int(r[1:]),
                ),
                "pinned_note": note_refs.get(item.note_id),
            }
            for item in items
        ],
        "empathy": [
            {"ref": empathy_refs[e.pk], "quadrant": e.quadrant, "text": e.text} for e in empathy
        ],
    }


# Pydantic's names for a broken limit, as the error codes of the segment forms, so that a file
# is refused with the words the economics form uses (ECONOMIC_ERRORS).
FORM_ERROR_CODES = {
    "greater_than": "min_value",
    "greater_than_equal": "min_value",
    "less_than": "max_value",
    "less_than_equal": "max_value",
    "decimal_max_digits": "max_digits",
    "decimal_whole_digits": "max_whole_digits",
    "decimal_max_places": "max_decimal_places",
    "decimal_parsing": "invalid",
}


def problem_of(error) -> str:
    """What is wrong with one value, for a person; the forms' own message where there is one."""
    if error["type"] == "extra_forbidden":
        return "is not a field of this format"
    field, code = str(error["loc"][-1]), FORM_ERROR_CODES.get(error["type"], "")
    message = ECONOMIC_ERRORS.get(field, {}).get(code)
    # The form messages are %-templates ("0 %%"); none takes a parameter.
    return message.replace("%%", "%").rstrip(".") if message else error["msg"]


def check_references(document) -> None:
    def unique(refs: list[str], what: str) -> set[str]:
        if len(set(refs)) != len(refs):
            raise ImportError_(f"The file was refused: two {what} share a reference.")
        return set(refs)

    notes = {note.ref for note in document.notes}
    segments = unique([segment.ref for segment in document.segments], "segments")
    for note in document.notes:
        missing = set(note.segments) - segments
        if missing:
            raise ImportError_(
                f"The file was refused: note {note.ref} names segment {sorted(missing)[0]}, "
                "which is not in the file."
            )
    for segment in document.segments:
        unique([entry.ref for entry in segment.profile], "profile entries")
        entries = {entry.ref: entry for entry in segment.profile}
        days = [snapshot.recorded_on for snapshot in segment.snapshots]
        if len(set(days)) != len(days):
            raise ImportError_(
                f"The file was refused: segment {segment.ref} has two snapshots on one day."
            )
        empathy = unique([entry.ref for entry in segment.empathy], "empathy entries")
        for entry in segment.profile:
            if entry.from_empathy and entry.from_empathy not in empathy:
                raise ImportError_(
                    f"The file was refused: {entry.ref} names an unknown empathy entry."
                )
        for item in segment.value_map:
            wanted = {"product": "job", "reliever": "pain", "creator": "gain"}[item.kind]
            for ref in item.addresses:
                if ref not in entries or entries[ref].list != wanted:
                    raise ImportError_(
                        f"The file was refused: a {item.kind} of segment {segment.ref} addresses "
                        f"{ref}, which is not one of that segment's {wanted}s."
                    )
            if item.pinned_note and item.pinned_note not in notes:
                raise ImportError_(
                    "The file was refused: a value-map item is pinned to an unknown note."
                )


def create_segment(
    canvas: Canvas, item: SegmentIn, notes: dict[str, Note], actor, threads: list[NewThread]
) -> Segment:
    """One segment of the file with all its parts (segments come in rank order: each goes to
    the bottom of the ranking, through the one way segments are created); its comment threads
    and its entries' go into `threads`, created once everything exists."""
    segment = services.create_segment(
        canvas=canvas,
        name=item.name,
        actor=actor,
        description=item.description,
        segment_type=item.segment_type,
        paying_side=item.paying_side,
        has_celebrities=item.has_celebrities,
        has_tastemakers=item.has_tastemakers,
        has_curators=item.has_curators,
        colour=item.colour,
        **figures_in(item),
    )
    SegmentCriterion.objects.bulk_create(
        SegmentCriterion(segment=segment, base=c.base, text=c.text, position=i)
        for i, c in enumerate(item.criteria)
    )
    SegmentSnapshot.objects.bulk_create(
        SegmentSnapshot(segment=segment, recorded_on=s.recorded_on, **figures_in(s))
        for s in item.snapshots
    )
    empathy = {
        e.ref: EmpathyEntry.objects.create(
            segment=segment, quadrant=e.quadrant, text=e.text, position=i
        )
        for i, e in enumerate(item.empathy)
    }
    positions: dict[str, int] = {}
    entries = {}
    for e in item.profile:
        position = positions[e.list] = positions.get(e.list, -1) + 1
        entries[e.ref] = ProfileEntry.objects.create(
            segment=segment,
            list=e.list,
            text=e.text,
            score=e.score,
            job_kind=e.job_kind,
            job_role=e.job_role,
            context=e.context,
            gain_kind=e.gain_kind,
            position=position,
            from_empathy=empathy.get(e.from_empathy) if e.from_empathy else None,
        )
    for i, v in enumerate(item.value_map):
        value = ValueMapItem.objects.create(
            segment=segment,
            kind=v.kind,
            text=v.text,
            position=i,
            note=notes[v.pinned_note] if v.pinned_note else None,
        )
        value.addresses.set([entries[ref] for ref in v.addresses])
    if item.thread:
        threads.append(NewThread(SEGMENT, segment.pk, item.thread))
    threads.extend(NewThread(ENTRY, entries[e.ref].pk, e.thread) for e in item.profile if e.thread)
    return segment


class SegmentsSection(FileSection):
    key = "segments"
    note_field = "segments"
    item_model = SegmentIn
    note_field_type = (list[str], Field(default_factory=list, max_length=100))
    csv_column = "segments"

    def export(self, canvas: Canvas, note_refs: dict[int, str]) -> tuple[list[dict], dict]:
        segments = list(
            canvas.segments.ranked().prefetch_related(
                "criteria", "snapshots", "profile_entries", "value_map_items__addresses",
                "empathy_entries",
            )
        )  # fmt: skip
        refs = {segment.pk: f"s{index}" for index, segment in enumerate(segments, 1)}
        per_note: dict[int, list[str]] = {}
        links = Segment.notes.through.objects.filter(segment__canvas=canvas).order_by("segment")
        for note_id, segment_id in links.values_list("note_id", "segment_id"):
            if note_id in note_refs:
                per_note.setdefault(note_id, []).append(refs[segment_id])
        for linked in per_note.values():
            linked.sort(key=lambda ref: int(ref[1:]))
        threads = {
            (thread.target_kind, thread.target_id): out
            for thread in threads_with_comments().filter(
                canvas=canvas, target_kind__in=[SEGMENT, ENTRY]
            )
            if (out := thread_out(thread))
        }
        return [segment_out(s, refs[s.pk], note_refs, threads) for s in segments], per_note

    def check(self, document) -> None:
        check_references(document)
        threads = [s.thread for s in document.segments] + [
            e.thread for s in document.segments for e in s.profile
        ]
        if document.version == 1 and any(threads):
            raise ImportError_(
                "The file was refused: comment threads came with version 2 of the format, "
                "and this file says it is version 1."
            )

    def import_items(self, canvas: Canvas, document, notes: dict[str, Note], actor) -> None:
        ranked = sorted(document.segments, key=lambda item: item.rank)
        threads: list[NewThread] = []
        segments = {
            item.ref: create_segment(canvas, item, notes, actor, threads) for item in ranked
        }
        create_threads(canvas, canvas.team, threads)
        Segment.notes.through.objects.bulk_create(
            Segment.notes.through(note_id=notes[item.ref].pk, segment_id=segments[ref].pk)
            for item in document.notes
            for ref in item.segments
        )

    def problem(self, error: dict) -> str | None:
        field, code = str(error["loc"][-1]), FORM_ERROR_CODES.get(error["type"], "")
        message = ECONOMIC_ERRORS.get(field, {}).get(code)
        # The form messages are %-templates ("0 %%"); none takes a parameter.
        return message.replace("%%", "%").rstrip(".") if message else None

    def note_value_in_words(self, value: list[str], items: list[dict]) -> str:
        names = {item["ref"]: item["name"] for item in items}
        return "; ".join(names[ref] for ref in value)

    def markdown(self, items: list[dict], escape) -> list[str]:
        if not items:
            return []
        lines = ["## Customer segment details", ""]
        for segment in items:
            lines += [f"### {escape(segment['name'], one_line=True)}", ""]
            if segment["description"]:
                lines += [escape(segment["description"]), ""]
            for label, kind in (("Jobs", "job"), ("Pains", "pain"), ("Gains", "gain")):
                entries = [e for e in segment["profile"] if e["list"] == kind]
                if entries:
                    texts = "; ".join(escape(e["text"], one_line=True) for e in entries)
                    lines += [f"**{label}:** {texts}", ""]
        return lines
