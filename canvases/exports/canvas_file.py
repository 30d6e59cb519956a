"""Canvas files: JSON export and import (a documented, versioned format), CSV and Markdown.

The JSON format ("canvas-export", version 1) holds everything in a canvas. Objects refer to
each other by references local to the file ("n1", "s1", "p1", "e1"), never by database ids, so a
file can name nothing outside itself. Import validates the whole file first (unknown fields,
wrong version, unknown references, oversize text, required text that shows nothing, NUL in any
string, figures past the economics form's limits, and nesting deeper than a canvas file, checked
before parsing, are refused with a message) and then creates the new canvas in one transaction:
nothing is half-saved.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from typing import Annotated, Literal

from django.db import transaction
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from canvas_site.text import is_blank
from canvases import services
from canvases.changes import record_change
from canvases.models import (
    EVERYONE,
    NOTE_MAX_LENGTH,
    POSTER_ORDER,
    BlockKind,
    Canvas,
    Note,
    NoteColour,
    Team,
)
from segments.forms import ECONOMIC_ERRORS
from segments.models import (
    MAX_LIFETIME,
    MAX_REVENUE,
    MAX_SIZE,
    EmpathyEntry,
    EmpathyQuadrant,
    GainKind,
    JobKind,
    JobRole,
    PayingSide,
    Period,
    ProfileEntry,
    ProfileList,
    Segment,
    SegmentationBase,
    SegmentColour,
    SegmentCriterion,
    SegmentSnapshot,
    SegmentType,
    ValueMapItem,
    ValueMapKind,
)

FORMAT, VERSION = "canvas-export", 1
MAX_FILE_BYTES = 5 * 1024 * 1024
# A canvas file nests 5 levels (file, segments, a segment, its profile, an entry): a file nested
# much deeper is not one, and would exhaust the parser's recursion.
MAX_DEPTH = 20


def literal(choices, *, blank: bool = False) -> type:
    """A Literal type of a TextChoices' values (and "" when blank is allowed)."""
    values = ("", *choices.values) if blank else tuple(choices.values)
    return Literal[values]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value):
        # PostgreSQL text cannot hold NUL: refuse it in every string of the file, refs included.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError("nul", "contains a NUL character (\\0), which no text holds")
        return value


def written(text: str) -> str:
    """Refuse required text that shows nothing, as the app's forms do (canvas_site.text)."""
    if is_blank(text):
        raise PydanticCustomError("blank", "is empty (only spaces or invisible characters)")
    return text


Written = Annotated[str, AfterValidator(written)]
Money = Field(default=None, ge=0, le=MAX_REVENUE, max_digits=14, decimal_places=2)


class FiguresIn(Strict):
    period: literal(Period) = "month"
    size: int | None = Field(default=None, ge=0, le=MAX_SIZE)
    revenue_per_customer: Decimal | None = Money
    gross_margin_percent: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)
    churn_percent: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=2)
    expected_lifetime: Decimal | None = Field(
        default=None, gt=0, le=MAX_LIFETIME, max_digits=8, decimal_places=2
    )

    @field_validator(
        "revenue_per_customer", "gross_margin_percent", "churn_percent", "expected_lifetime",
        mode="before",
    )  # fmt: skip
    @classmethod
    def decimal_from_text(cls, value):
        # JSON has no decimals: amounts travel as strings ("49.90") to stay exact.
        if not isinstance(value, str):
            return value
        try:
            return Decimal(value)
        except InvalidOperation:
            raise PydanticCustomError("decimal_parsing", "is not a number") from None


class SnapshotIn(FiguresIn):
    recorded_on: date

    @field_validator("recorded_on", mode="before")
    @classmethod
    def date_from_text(cls, value):
        return date.fromisoformat(value) if isinstance(value, str) else value


class CriterionIn(Strict):
    base: literal(SegmentationBase)
    text: Written = Field(max_length=200)


class ProfileEntryIn(Strict):
    ref: str = Field(max_length=20)
    list: literal(ProfileList)
    text: Written = Field(max_length=500)
    score: int = Field(ge=1, le=5)
    job_kind: literal(JobKind, blank=True) = ""
    job_role: literal(JobRole, blank=True) = ""
    context: str = Field(default="", max_length=200)
    gain_kind: literal(GainKind, blank=True) = ""
    from_empathy: str | None = None


class ValueMapItemIn(Strict):
    kind: literal(ValueMapKind)
    text: Written = Field(max_length=500)
    addresses: list[str] = Field(default_factory=list, max_length=500)
    pinned_note: str | None = None


class EmpathyIn(Strict):
    ref: str = Field(max_length=20)
    quadrant: literal(EmpathyQuadrant)
    text: Written = Field(max_length=300)


class SegmentIn(FiguresIn):
    ref: str = Field(max_length=20)
    name: Written = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    segment_type: literal(SegmentType) = "mass_market"
    paying_side: literal(PayingSide) = "paying"
    has_celebrities: bool = False
    has_tastemakers: bool = False
    has_curators: bool = False
    colour: literal(SegmentColour)
    rank: int = Field(ge=0, le=10_000)
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=200)
    snapshots: list[SnapshotIn] = Field(default_factory=list, max_length=2000)
    profile: list[ProfileEntryIn] = Field(default_factory=list, max_length=2000)
    value_map: list[ValueMapItemIn] = Field(default_factory=list, max_length=2000)
    empathy: list[EmpathyIn] = Field(default_factory=list, max_length=2000)


class NoteIn(Strict):
    ref: str = Field(max_length=20)
    block: literal(BlockKind)
    text: Written = Field(max_length=NOTE_MAX_LENGTH)
    colour: literal(NoteColour) = "yellow"
    position: int = Field(ge=0, le=1_000_000)
    segments: list[str] = Field(default_factory=list, max_length=100)


class CanvasIn(Strict):
    title: Written = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    focus_segment_count: int = Field(default=3, ge=1, le=20)


class ExportFile(Strict):
    format: Literal["canvas-export"]
    version: int
    canvas: CanvasIn
    notes: list[NoteIn] = Field(default_factory=list, max_length=10_000)
    segments: list[SegmentIn] = Field(default_factory=list, max_length=200)

    @field_validator("version")
    @classmethod
    def known_version(cls, value: int) -> int:
        if value != VERSION:
            raise ValueError(f"this app reads version {VERSION} of the format, not version {value}")
        return value


class ImportError_(ValueError):
    """The file is refused; the message says why, for the person who uploaded it."""


# Export


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def figures_out(source) -> dict:
    return {
        "period": source.period,
        "size": source.size,
        "revenue_per_customer": money(source.revenue_per_customer),
        "gross_margin_percent": money(source.gross_margin_percent),
        "churn_percent": money(source.churn_percent),
        "expected_lifetime": money(source.expected_lifetime),
    }


def export_canvas(canvas: Canvas) -> dict:
    """Everything in a canvas as a version-1 document (see the module docstring)."""
    order = {kind.value: index for index, kind in enumerate(POSTER_ORDER)}
    notes = sorted(
        Note.objects.visible_to(EVERYONE)
        .of_canvas(canvas)
        .select_related("block")
        .prefetch_related("segments"),
        key=lambda note: (order[note.block.kind], note.position, note.pk),
    )
    note_refs = {note.pk: f"n{index}" for index, note in enumerate(notes, 1)}
    segments = list(
        canvas.segments.ranked().prefetch_related(
            "criteria",
            "snapshots",
            "profile_entries",
            "value_map_items__addresses",
            "empathy_entries",
        )
    )
    segment_refs = {segment.pk: f"s{index}" for index, segment in enumerate(segments, 1)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "canvas": {
            "title": canvas.title,
            "description": canvas.description,
            "currency": canvas.currency,
            "focus_segment_count": canvas.focus_segment_count,
        },
        "notes": [
            {
                "ref": note_refs[note.pk],
                "block": note.block.kind,
                "text": note.text,
                "colour": note.colour,
                "position": note.position,
                "segments": sorted(
                    (segment_refs[s.pk] for s in note.segments.all() if s.pk in segment_refs),
                    key=lambda ref: int(ref[1:]),
                ),
            }
            for note in notes
        ],
        "segments": [segment_out(s, segment_refs[s.pk], note_refs) for s in segments],
    }


def segment_out(segment: Segment, ref: str, note_refs: dict[int, str]) -> dict:
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


# Import

NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def read(raw: bytes) -> ExportFile:
    """Decode, parse and validate an uploaded file; ImportError_ says why it is refused."""
    try:
        # utf-8-sig: a byte-order mark (Windows editors write one) is not part of the JSON.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_("The file is not valid JSON.") from None
    if nests_deeper_than(text, MAX_DEPTH):
        raise ImportError_(
            f"The file nests lists and objects more than {MAX_DEPTH} levels deep: "
            "that is not a canvas file."
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # ValueError is also a number of more than 4,300 digits, which no canvas holds.
        raise ImportError_("The file is not valid JSON.") from None
    return parse(data)


def nests_deeper_than(text: str, limit: int) -> bool:
    """True when arrays and objects in JSON text nest deeper than `limit`, found without parsing."""
    # Linear and in C throughout (5 MB in well under a second), with no regex that backtracks.
    # Drop escaped backslashes, then escaped quotes: every quote left opens or closes a string.
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside_strings = "".join(unescaped.split('"')[::2])
    depths = accumulate(map(BRACKET_STEP.__getitem__, NOT_A_BRACKET.sub("", outside_strings)))
    return next(filter(limit.__lt__, depths), None) is not None


def parse(data) -> ExportFile:
    """Validate a whole document; ImportError_ with a readable message when it is refused."""
    if not isinstance(data, dict):
        raise ImportError_("This is not a canvas file: expected a JSON object.")
    if data.get("format") != FORMAT:
        raise ImportError_("This is not a canvas file (its “format” is not “canvas-export”).")
    try:
        document = ExportFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = " → ".join(str(part).replace("\x00", "\\0") for part in first["loc"])
        raise ImportError_(
            f"The file was refused: {where}: {problem_of(first)}."
            + (f" ({error.error_count() - 1} more problem(s).)" if error.error_count() > 1 else "")
        ) from None
    check_references(document)
    return document


# Pydantic's names for a broken limit, as the error codes of the segment forms, so that a file
# is refused with the words the economics form uses (segments.forms.ECONOMIC_ERRORS).
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


def check_references(document: ExportFile) -> None:
    def unique(refs: list[str], what: str) -> set[str]:
        if len(set(refs)) != len(refs):
            raise ImportError_(f"The file was refused: two {what} share a reference.")
        return set(refs)

    notes = unique([note.ref for note in document.notes], "notes")
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


@transaction.atomic
def import_canvas(document: ExportFile, *, team: Team, actor) -> Canvas:
    """Create a new canvas in `team` from a validated document, all or nothing."""
    source = document.canvas
    canvas = services.create_canvas(
        team=team, title=source.title, description=source.description, author=actor
    )
    Canvas.objects.filter(pk=canvas.pk).update(
        currency=source.currency, focus_segment_count=source.focus_segment_count
    )
    canvas.currency, canvas.focus_segment_count = source.currency, source.focus_segment_count
    blocks = {block.kind: block for block in canvas.blocks.all()}
    notes = {
        item.ref: Note(
            block=blocks[item.block],
            text=item.text,
            colour=item.colour,
            position=item.position,
            author=actor,
        )
        for item in document.notes
    }
    Note.objects.bulk_create(notes.values())
    segments = {item.ref: create_segment(canvas, item, notes) for item in document.segments}
    links = [
        Segment.notes.through(note_id=notes[item.ref].pk, segment_id=segments[ref].pk)
        for item in document.notes
        for ref in item.segments
    ]
    Segment.notes.through.objects.bulk_create(links)
    services.compact_positions(canvas)
    record_change(
        canvas, actor=actor, verb="canvas.imported", summary="imported the canvas from a file"
    )
    return canvas


def figures_in(item: FiguresIn) -> dict:
    return {name: getattr(item, name) for name in Segment.ECONOMIC_FIELDS}


def create_segment(canvas: Canvas, item: SegmentIn, notes: dict[str, Note]) -> Segment:
    segment = Segment.objects.create(
        canvas=canvas,
        name=item.name,
        description=item.description,
        segment_type=item.segment_type,
        paying_side=item.paying_side,
        has_celebrities=item.has_celebrities,
        has_tastemakers=item.has_tastemakers,
        has_curators=item.has_curators,
        colour=item.colour,
        rank=item.rank,
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
    return segment
