"""The demo canvas's customer segments, with criteria, economics history and linked notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from canvases.models import Canvas, Note

from . import services
from .models import PayingSide, SegmentationBase, SegmentSnapshot, SegmentType
from .profiles import services as profile_services

D = Decimal
DEMO_SEGMENTS = [
    {
        "name": "Food start-ups",
        "description": "Young food brands testing recipes and selling at markets or online, "
        "not yet able to afford a kitchen of their own.",
        "segment_type": SegmentType.NICHE_MARKET,
        "colour": "orange",
        "has_tastemakers": True,
        "criteria": [
            (SegmentationBase.DEMOGRAPHIC, "Founders aged 25–40"),
            (SegmentationBase.GEOGRAPHIC, "Within 30 minutes of a listed kitchen"),
            (SegmentationBase.BEHAVIOURAL, "Cook 1–3 days a week, in batches"),
            (SegmentationBase.PSYCHOGRAPHIC, "Want to test before committing to a lease"),
        ],
        # (months ago, size, revenue per customer per month, margin %, churn %)
        "history": [(3, 140, D("310"), D("15"), D("9")), (2, 180, D("335"), D("15"), D("8")),
                    (1, 230, D("350"), D("16"), D("7.5")), (0, 260, D("365"), D("16"), D("7"))],
        "notes": ["Certified kitchen by the hour", "Book tonight, cook tomorrow",
                  "Hygiene paperwork handled", "Web app and phone app",
                  "Partnerships with food incubators", "Self-service booking",
                  "Community: monthly meet-up", "15 % commission", "Membership: €49/month",
                  "Insurance bundle"],
    },
    {
        "name": "Independent caterers",
        "description": "Small catering companies whose volume swings with weddings, "
        "conferences and holidays.",
        "segment_type": SegmentType.SEGMENTED,
        "colour": "purple",
        "criteria": [
            (SegmentationBase.BEHAVIOURAL, "Events of 50–300 guests"),
            (SegmentationBase.GEOGRAPHIC, "Metropolitan areas"),
        ],
        "history": [(3, 60, D("820"), D("14"), D("6")), (2, 64, D("790"), D("14"), D("6")),
                    (1, 71, D("860"), D("15"), D("5")), (0, 75, D("905"), D("15"), D("5"))],
        # No channel yet: the checks panel shows newcomers the gap.
        "notes": ["Equipment listed in detail", "Book tonight, cook tomorrow", "Onboarding call",
                  "15 % commission", "Cleaning and storage add-ons"],
    },
    {
        "name": "Kitchen owners",
        "description": "Restaurants, schools and churches whose certified kitchens stand "
        "idle for hours a day. They list for free: the free side of the marketplace.",
        "segment_type": SegmentType.MULTI_SIDED_PLATFORM,
        "paying_side": PayingSide.FREE_SIDE,
        "colour": "green",
        "has_curators": True,
        "criteria": [
            (SegmentationBase.DEMOGRAPHIC, "Owns or manages a certified kitchen"),
            (SegmentationBase.BEHAVIOURAL, "Kitchen idle 6+ hours a day"),
        ],
        "history": [(3, 38, D("0"), D("0"), D("3")), (2, 45, D("0"), D("0"), D("3")),
                    (1, 52, D("0"), D("0"), D("2.5")), (0, 60, D("0"), D("0"), D("2.5"))],
        "notes": ["Owners earn from hours", "Vetted, insured cooks only",
                  "Field sales visiting restaurants", "Dedicated account manager"],
    },
]  # fmt: skip


def add_demo_segments(canvas: Canvas, author) -> None:
    """Three segments (one a free side) with four months of figures and linked notes."""
    notes = list(Note.objects.alive().of_canvas(canvas))
    today = timezone.localdate()
    for spec in DEMO_SEGMENTS:
        spec = dict(spec)
        criteria, history, note_starts = (
            spec.pop("criteria"),
            spec.pop("history"),
            spec.pop("notes"),
        )
        months_ago, size, revenue, margin, churn = history[-1]
        segment = services.create_segment(
            canvas=canvas,
            actor=author,
            size=size,
            revenue_per_customer=revenue,
            gross_margin_percent=margin,
            churn_percent=churn,
            **spec,
        )
        for position, (base, text) in enumerate(criteria):
            segment.criteria.create(base=base, text=text, position=position)
        SegmentSnapshot.objects.bulk_create(
            SegmentSnapshot(
                segment=segment,
                recorded_on=today - timedelta(days=30 * months),
                size=size,
                revenue_per_customer=revenue,
                gross_margin_percent=margin,
                churn_percent=churn,
                recorded_by=author,
            )
            for months, size, revenue, margin, churn in history
        )
        segment.notes.set(
            [note for note in notes if any(note.text.startswith(start) for start in note_starts)]
        )


# Profiles and value maps: (list, text, score, extra fields)
DEMO_PROFILES = {
    "Food start-ups": {
        "job": [
            ("Test a recipe at production scale before investing", 5, {"job_kind": "functional", "context": "first 6 months of the business"}),
            ("Look like a real food business to shops and markets", 4, {"job_kind": "social"}),
            ("Feel in control of hygiene rules", 4, {"job_kind": "emotional"}),
            ("Compare kitchens and book one", 3, {"job_kind": "supporting", "job_role": "buyer"}),
        ],
        "pain": [
            ("A commercial lease costs more than the business earns", 5, {}),
            ("Failing a hygiene inspection could end the business", 5, {}),
            ("Equipment turns out missing or broken on the day", 4, {}),
            ("Late-night slots are hard to find", 2, {}),
        ],
        "gain": [
            ("Pay only for the hours used", 5, {"gain_kind": "required"}),
            ("Meet other food founders", 3, {"gain_kind": "unexpected"}),
            ("Store ingredients between sessions", 4, {"gain_kind": "desired"}),
        ],
        "value": [
            ("product", "Hourly kitchen booking", ["Test a recipe at production scale"]),
            ("product", "Founder community and meet-ups", []),
            ("reliever", "No lease, no deposit", ["A commercial lease costs"]),
            ("reliever", "The kitchen's hygiene certificate covers the session", ["Failing a hygiene inspection"]),
            ("creator", "Pay-per-hour pricing", ["Pay only for the hours used"]),
            ("creator", "Monthly meet-up", ["Meet other food founders"]),
        ],
        "empathy": [
            ("thinks_feels", "Worried the idea fails before it starts"),
            ("hears", "Friends say renting a kitchen is a hassle"),
            ("says_does", "Cooks at home at night and hopes nobody checks"),
            ("sees", "Other brands at the market with proper labels"),
            ("pains", "Inspection letters"),
            ("gains", "A stall at a big market"),
        ],
    },
    "Independent caterers": {
        "job": [("Deliver large events without owning a big kitchen", 5, {"job_kind": "functional"})],
        "pain": [("Own kitchen too small in peak season", 5, {}), ("Staff travel to far-away kitchens", 3, {})],
        "gain": [("Book the same kitchen for a whole season", 4, {"gain_kind": "desired"})],
        "value": [
            ("product", "Kitchens with large equipment, listed in detail", ["Deliver large events"]),
            ("reliever", "Book extra kitchens for peak weeks", ["Own kitchen too small"]),
        ],
        "empathy": [],
    },
    "Kitchen owners": {
        "job": [("Cover the kitchen's fixed costs", 5, {"job_kind": "functional"})],
        "pain": [("Strangers damaging equipment", 5, {}), ("Admin of contracts and invoices", 4, {})],
        "gain": [("Extra income without extra work", 5, {"gain_kind": "required"})],
        "value": [
            ("product", "Free listing with calendar sync", ["Cover the kitchen's fixed costs"]),
            ("reliever", "Vetted, insured cooks and a damage guarantee", ["Strangers damaging equipment"]),
            ("creator", "Automatic payouts", ["Extra income without extra work"]),
        ],
        "empathy": [],
    },
}  # fmt: skip


def add_demo_profiles(canvas: Canvas, author) -> None:
    """Profiles and value maps for the demo segments, and one empathy map."""
    for segment in canvas.segments.all():
        spec = DEMO_PROFILES.get(segment.name)
        if spec is None:
            continue
        entries = [
            profile_services.add_entry(
                segment=segment, list=kind, text=text, score=score, actor=author, **extra
            )
            for kind in ("job", "pain", "gain")
            for text, score, extra in spec[kind]
        ]
        for kind, text, targets in spec["value"]:
            addressed = [e for e in entries if any(e.text.startswith(t) for t in targets)]
            profile_services.add_value_item(
                segment=segment, kind=kind, text=text, addresses=addressed, actor=author
            )
        for quadrant, text in spec["empathy"]:
            profile_services.add_empathy(
                segment=segment, quadrant=quadrant, text=text, actor=author
            )
