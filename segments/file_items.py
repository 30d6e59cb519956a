"""What the canvas file may hold of segments (segments.canvas_file reads it with these): each
segment with its criteria, dated figures, profile entries, value map, empathy map, and the
comment threads of the segment and of its entries (version 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from canvases.exports.canvas_file import Strict, Written, literal
from canvases.exports.comments_file import ThreadIn

from .models import (
    MAX_LIFETIME,
    MAX_REVENUE,
    MAX_SIZE,
    EmpathyQuadrant,
    GainKind,
    JobKind,
    JobRole,
    PayingSide,
    Period,
    ProfileList,
    SegmentationBase,
    SegmentColour,
    SegmentType,
    ValueMapKind,
)

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
    thread: ThreadIn | None = None  # version 2


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
    thread: ThreadIn | None = None  # version 2
