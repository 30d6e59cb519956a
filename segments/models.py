"""Customer segments of a canvas: who they are, how they rank, what they are worth over time."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from canvases.models import Canvas, Note


class SegmentType(models.TextChoices):
    MASS_MARKET = "mass_market", "Mass market"
    NICHE_MARKET = "niche_market", "Niche market"
    SEGMENTED = "segmented", "Segmented"
    DIVERSIFIED = "diversified", "Diversified"
    MULTI_SIDED_PLATFORM = "multi_sided_platform", "Multi-sided platform"


class PayingSide(models.TextChoices):
    PAYING = "paying", "Pays"
    FREE_SIDE = "free_side", "Subsidised or free side"


class SegmentationBase(models.TextChoices):
    DEMOGRAPHIC = "demographic", "Demographic"
    GEOGRAPHIC = "geographic", "Geographic"
    PSYCHOGRAPHIC = "psychographic", "Psychographic"
    BEHAVIOURAL = "behavioural", "Behavioural"


class Period(models.TextChoices):
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"
    YEAR = "year", "year"


class SegmentColour(models.TextChoices):
    """The Okabe–Ito palette: told apart by people with every common colour-vision deficiency."""

    ORANGE = "orange", "Orange"
    SKY_BLUE = "sky", "Sky blue"
    GREEN = "green", "Bluish green"
    BLUE = "blue", "Blue"
    VERMILLION = "vermillion", "Vermillion"
    PURPLE = "purple", "Reddish purple"
    YELLOW = "yellow", "Yellow"
    GREY = "grey", "Grey"


NON_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Economics(models.Model):
    """The figures a team estimates for a segment; shared by a segment and its dated snapshots."""

    size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Estimated number of customers."
    )
    revenue_per_customer = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    gross_margin_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    churn_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
        help_text="Share of customers lost per period.",
    )
    expected_lifetime = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Periods a customer stays; used when no churn is given.",
    )
    # Revenue and churn are per this period.
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.MONTH)

    ECONOMIC_FIELDS = [
        "period",
        "size",
        "revenue_per_customer",
        "gross_margin_percent",
        "churn_percent",
        "expected_lifetime",
    ]

    class Meta:
        abstract = True

    @classmethod
    def economic_constraints(cls, prefix: str) -> list[models.CheckConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(revenue_per_customer__gte=0) | Q(revenue_per_customer__isnull=True),
                name=f"{prefix}_revenue_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(gross_margin_percent__gte=0, gross_margin_percent__lte=100)
                | Q(gross_margin_percent__isnull=True),
                name=f"{prefix}_margin_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(churn_percent__gt=0, churn_percent__lte=100)
                | Q(churn_percent__isnull=True),
                name=f"{prefix}_churn_above_zero",
            ),
            models.CheckConstraint(
                condition=Q(expected_lifetime__gt=0) | Q(expected_lifetime__isnull=True),
                name=f"{prefix}_lifetime_above_zero",
            ),
        ]

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in self.ECONOMIC_FIELDS}


class SegmentQuerySet(models.QuerySet["Segment"]):
    def ranked(self) -> SegmentQuerySet:
        return self.order_by("rank", "pk")


class Segment(Economics):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    segment_type = models.CharField(
        max_length=24, choices=SegmentType.choices, default=SegmentType.MASS_MARKET
    )
    paying_side = models.CharField(
        max_length=12, choices=PayingSide.choices, default=PayingSide.PAYING
    )
    has_celebrities = models.BooleanField("celebrities", default=False)
    has_tastemakers = models.BooleanField("tastemakers", default=False)
    has_curators = models.BooleanField("curators", default=False)
    colour = models.CharField(max_length=12, choices=SegmentColour.choices)
    # 0 is the highest priority; the first `canvas.focus_segment_count` are the focus.
    rank = models.PositiveIntegerField(default=0)
    notes = models.ManyToManyField(Note, related_name="segments", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "pk"]
        constraints = Economics.economic_constraints("segment")

    def __str__(self) -> str:
        return self.name

    @property
    def ref(self) -> str:
        return str(self.pk)

    @property
    def archetypes(self) -> list[str]:
        flags = [
            (self.has_celebrities, "celebrity"),
            (self.has_tastemakers, "tastemaker"),
            (self.has_curators, "curator"),
        ]
        return [name for present, name in flags if present]

    @property
    def is_free_side(self) -> bool:
        return self.paying_side == PayingSide.FREE_SIDE


class SegmentCriterion(models.Model):
    """One short segmentation criterion ("aged 25–40", "cooks at home 3+ times a week")."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="criteria")
    base = models.CharField(max_length=16, choices=SegmentationBase.choices)
    text = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["base", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SegmentSnapshot(Economics):
    """A segment's figures as recorded on one day: the history the trend charts draw."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="snapshots")
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_on", "pk"]
        constraints = [
            *Economics.economic_constraints("snapshot"),
            models.UniqueConstraint(
                fields=["segment", "recorded_on"], name="one_snapshot_per_segment_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment} on {self.recorded_on}"
