"""Customer segments of a canvas: who they are, how they rank, what they are worth over time."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
# Beyond these a figure is a typo, not an estimate: bounding them keeps lifetime value and
# profit (customers x revenue x margin x lifetime) readable numbers.
MAX_SIZE = 10_000_000_000  # customers: more than there are people on Earth
MAX_REVENUE = Decimal(1_000_000_000)  # per customer and period
MAX_LIFETIME = Decimal(10_000)  # periods: 1 / the smallest churn (0.01 %)


class Economics(models.Model):
    """The figures a team estimates for a segment; shared by a segment and its dated snapshots."""

    size = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_SIZE)],
        help_text="Estimated number of customers.",
    )
    revenue_per_customer = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[*NON_NEGATIVE, MaxValueValidator(MAX_REVENUE)],
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
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_LIFETIME)],
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

    def get_absolute_url(self) -> str:
        return reverse("segments:segment-detail", args=[self.canvas_id, self.pk])

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

    def get_absolute_url(self) -> str:
        return self.segment.get_absolute_url() + "#criteria"


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

    def get_absolute_url(self) -> str:
        return self.segment.get_absolute_url() + "#history"


# Customer profile, value map and empathy map (per segment)


def profile_url(segment: Segment) -> str:
    return reverse("segments:profile-detail", args=[segment.canvas_id, segment.pk])


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class ProfileList(models.TextChoices):
    JOB = "job", "Jobs"
    PAIN = "pain", "Pains"
    GAIN = "gain", "Gains"


class JobKind(models.TextChoices):
    FUNCTIONAL = "functional", "Functional"
    SOCIAL = "social", "Social"
    EMOTIONAL = "emotional", "Emotional"
    SUPPORTING = "supporting", "Supporting"


class JobRole(models.TextChoices):
    BUYER = "buyer", "Buyer"
    CO_CREATOR = "co_creator", "Co-creator"
    TRANSFERRER = "transferrer", "Transferrer"


class GainKind(models.TextChoices):
    REQUIRED = "required", "Required"
    EXPECTED = "expected", "Expected"
    DESIRED = "desired", "Desired"
    UNEXPECTED = "unexpected", "Unexpected"


SCORE_NAMES = {
    ProfileList.JOB: "importance",
    ProfileList.PAIN: "severity",
    ProfileList.GAIN: "relevance",
}


class EmpathyQuadrant(models.TextChoices):
    THINKS_FEELS = "thinks_feels", "Thinks and feels"
    SEES = "sees", "Sees"
    HEARS = "hears", "Hears"
    SAYS_DOES = "says_does", "Says and does"
    PAINS = "pains", "Pains"
    GAINS = "gains", "Gains"


class EmpathyEntry(models.Model):
    """A quick observation in a workshop, before it is ranked into the profile."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="empathy_entries")
    quadrant = models.CharField(max_length=16, choices=EmpathyQuadrant.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quadrant", "position", "pk"]
        verbose_name_plural = "empathy entries"

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return profile_url(self.segment) + "#empathy-map"


class ProfileEntry(models.Model):
    """A job, pain or gain of a segment's customer profile, ranked within its list."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="profile_entries")
    list = models.CharField(max_length=4, choices=ProfileList.choices)
    text = models.CharField(max_length=500)
    # Importance of a job, severity of a pain, relevance of a gain: 1 (low) to 5 (high).
    score = models.PositiveSmallIntegerField(default=3, validators=SCORE)
    job_kind = models.CharField(max_length=12, choices=JobKind.choices, blank=True)
    job_role = models.CharField(max_length=12, choices=JobRole.choices, blank=True)
    context = models.CharField(max_length=200, blank=True)
    gain_kind = models.CharField(max_length=12, choices=GainKind.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    from_empathy = models.ForeignKey(
        EmpathyEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promoted_entries",
    )

    class Meta:
        ordering = ["list", "position", "pk"]
        verbose_name_plural = "profile entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="profile_score_from_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return profile_url(self.segment) + f"#entry-{self.pk}"

    @property
    def ref(self) -> str:
        return str(self.pk)

    @property
    def score_name(self) -> str:
        return SCORE_NAMES[ProfileList(self.list)]


class ValueMapKind(models.TextChoices):
    PRODUCT = "product", "Products and services"
    PAIN_RELIEVER = "reliever", "Pain relievers"
    GAIN_CREATOR = "creator", "Gain creators"


# What each kind of value-map item can address.
ADDRESSES = {
    ValueMapKind.PRODUCT: ProfileList.JOB,
    ValueMapKind.PAIN_RELIEVER: ProfileList.PAIN,
    ValueMapKind.GAIN_CREATOR: ProfileList.GAIN,
}


class ValueMapItem(models.Model):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="value_map_items")
    kind = models.CharField(max_length=8, choices=ValueMapKind.choices)
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)
    addresses = models.ManyToManyField(ProfileEntry, related_name="addressed_by", blank=True)
    # The Value Propositions note this item was pinned to the canvas as, if any.
    note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="value_map_items"
    )

    class Meta:
        ordering = ["kind", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return profile_url(self.segment) + f"#item-{self.pk}"

    @property
    def ref(self) -> str:
        return str(self.pk)

    @property
    def addresses_list(self) -> str:
        return ADDRESSES[ValueMapKind(self.kind)]
