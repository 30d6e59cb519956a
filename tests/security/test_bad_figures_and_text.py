"""Figures too large for the columns, and text that shows nothing: refused where entered, and
stored values shown without a 500.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from canvases.models import Guest, Note
from segments.economics import customer_lifetime_value, lifetime, money, profit_per_period
from segments.models import Segment, SegmentSnapshot

from .inputs import HTMX, INVISIBLE, canvas_file, database, encoded, text_of, upload

pytestmark = pytest.mark.django_db


# 4. Economics: bounded where they are entered, and shown whatever is stored


def economics_url(segment: Segment) -> str:
    return reverse("segments:segment-economics", args=[segment.canvas_id, segment.pk])


ABSURD = {"size": str(10**15), "revenue_per_customer": "999999999999.99"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("size", str(10**15), "at most 10,000,000,000 customers"),
        ("revenue_per_customer", "999999999999.99", "at most 1,000,000,000 per period"),
        ("revenue_per_customer", "10000000000000", "at most 1,000,000,000 per period"),
        ("expected_lifetime", "999999.99", "at most 10,000 periods"),
    ],
)
def test_the_economics_form_refuses_figures_too_large(world, field, value, message):
    before = database()
    data = {"period": "month", "gross_margin_percent": "50", "churn_percent": "5", field: value}
    response = world.client("editor").post(economics_url(world.segment), data, **HTMX)
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


def test_the_snapshot_form_refuses_figures_too_large(world):
    before = database()
    snapshot = world.segment.snapshots.get()
    url = reverse("segments:snapshot-edit", args=[world.canvas.pk, world.segment.pk, snapshot.pk])
    data = {"recorded_on": "2026-02-02", "period": "month", **ABSURD}
    response = world.client("editor").post(url, data, **HTMX)
    assert response.status_code == 422
    assert "at most 10,000,000,000 customers" in text_of(response)
    assert database() == before


@pytest.mark.parametrize("model", [Segment, SegmentSnapshot])
def test_the_model_refuses_figures_too_large(world, model):
    from django.core.exceptions import ValidationError

    instance = world.segment if model is Segment else world.segment.snapshots.get()
    instance.size, instance.revenue_per_customer = 10**15, Decimal("999999999999.99")
    instance.expected_lifetime = Decimal("999999.99")
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert {"size", "revenue_per_customer", "expected_lifetime"} <= set(refused.value.message_dict)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("segments.0.size", 10**15, "at most 10,000,000,000 customers"),
        ("segments.0.revenue_per_customer", "999999999999.99", "at most 1,000,000,000"),
        ("segments.0.snapshots.0.size", 10**15, "at most 10,000,000,000 customers"),
        ("segments.0.expected_lifetime", "999999.99", "at most 10,000 periods"),
        ("segments.0.revenue_per_customer", "lots", "Give the revenue as a number"),
        ("segments.0.churn_percent", "NaN", "churn_percent"),
        ("segments.0.churn_percent", "sNaN", "churn_percent"),
        ("segments.0.gross_margin_percent", "1e999999", "gross_margin_percent"),
    ],
)
def test_the_importer_refuses_figures_too_large_or_not_numbers(world, path, value, message):
    before = database()
    response = upload(world.client("editor"), world.team, encoded(canvas_file(**{path: value})))
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


def store_absurd_figures(segment: Segment) -> None:
    """The largest figures the columns hold, written past every validator."""
    absurd = {
        "size": 2**63 - 1,
        "revenue_per_customer": Decimal("999999999999.99"),
        "gross_margin_percent": Decimal("100"),
        "churn_percent": Decimal("0.01"),
        "expected_lifetime": None,
    }
    Segment.objects.filter(pk=segment.pk).update(**absurd)
    segment.snapshots.update(**absurd)
    SegmentSnapshot.objects.create(segment=segment, recorded_on="2026-03-03", **absurd)


def absurd_figure_pages(world) -> dict[str, tuple[str, dict]]:
    canvas, segment = world.canvas, world.segment
    pdf = reverse("canvases:export-pdf", args=[canvas.pk]) + f"?segments={segment.pk}"
    return {
        "segment page": (reverse("segments:segment-detail", args=[canvas.pk, segment.pk]), {}),
        "segment refresh": (
            reverse("segments:segment-refresh", args=[canvas.pk, segment.pk]),
            HTMX,
        ),
        "pack PDF": (pdf, {}),
    }


@pytest.mark.parametrize("page", ["segment page", "segment refresh", "pack PDF"])
def test_absurd_stored_figures_still_show(world, page):
    store_absurd_figures(world.segment)
    url, headers = absurd_figure_pages(world)[page]
    response = world.client("editor").get(url, **headers)
    assert response.status_code == 200
    if page == "pack PDF":
        assert response["Content-Type"] == "application/pdf"


def test_the_economics_form_answers_over_absurd_stored_figures(world):
    segment = world.segment
    store_absurd_figures(segment)
    client = world.client("editor")
    refused = client.post(economics_url(segment), {"period": "month", **ABSURD}, **HTMX)
    assert refused.status_code == 422
    accepted = client.post(economics_url(segment), {"period": "month", "size": "100"}, **HTMX)
    assert accepted.status_code == 200
    segment.refresh_from_db()
    assert segment.size == 100


def test_a_figure_beyond_any_precision_is_too_large_to_show():
    huge = Decimal("1e999990")
    profit = profit_per_period(
        size=10**9,
        revenue_per_customer=huge,
        gross_margin_percent=Decimal(100),
        period="month",
        currency="EUR",
    )
    assert profit.too_large and not profit.known and profit.formula == "too large to show"
    value = customer_lifetime_value(
        revenue_per_customer=Decimal(1),
        gross_margin_percent=Decimal(1),
        churn_percent=Decimal("1e-999990"),
        expected_lifetime=None,
        period="month",
        currency="EUR",
    )
    assert value.too_large
    assert lifetime(churn_percent=None, expected_lifetime=huge, period="month").known
    assert money(huge * 10**8, "EUR") == "too large to show"


# 5. Text that shows nothing is no text


def note_create(world) -> str:
    return reverse("canvases:note-create", args=[world.canvas.pk, "channels"])


def form_posts(world) -> dict:
    """Each required user text field, as (url, data with that field invisible, message)."""
    canvas, segment = world.canvas, world.segment
    entry = segment.profile_entries.get()
    on = {"canvas_id": canvas.pk, "segment_id": segment.pk}
    return {
        "note": (note_create(world), {"text": INVISIBLE}, "a note cannot be empty"),
        "note edit": (
            reverse("canvases:note-edit", args=[canvas.pk, world.visible_note.pk]),
            {"text": INVISIBLE, "version": world.visible_note.version},
            "a note cannot be empty",
        ),
        "canvas": (
            reverse("canvases:canvas-create", args=[world.team.pk]),
            {"title": INVISIBLE},
            "Give the canvas a title",
        ),
        "canvas title": (
            reverse("canvases:canvas-edit", args=[canvas.pk]),
            {"title": INVISIBLE, "currency": "EUR", "focus_segment_count": "3"},
            "Give the canvas a title",
        ),
        "team": (reverse("canvases:team-create"), {"name": INVISIBLE}, "Give the team a name"),
        "segment": (
            reverse("segments:segment-create", kwargs={"canvas_id": canvas.pk}),
            {"name": INVISIBLE},
            "Give the segment a name",
        ),
        "segment name": (
            reverse("segments:segment-edit", kwargs=on),
            {"name": INVISIBLE, "segment_type": "niche_market", "paying_side": "paying"},
            "Give the segment a name",
        ),
        "criterion": (
            reverse("segments:criterion-create", kwargs=on),
            {"base": "geographic", "text": INVISIBLE},
            "Write the criterion",
        ),
        "profile entry": (
            reverse("segments:entry-create", kwargs={**on, "list_kind": "pain"}),
            {"text": INVISIBLE, "score": "3"},
            "the text cannot be empty",
        ),
        "profile entry edit": (
            reverse("segments:entry-edit", kwargs={**on, "entry_id": entry.pk}),
            {"text": INVISIBLE, "score": "3"},
            "the text cannot be empty",
        ),
        "value-map item": (
            reverse("segments:item-create", kwargs={**on, "item_kind": "reliever"}),
            {"text": INVISIBLE},
            "the text cannot be empty",
        ),
        "empathy entry": (
            reverse("segments:empathy-create", kwargs={**on, "quadrant": "sees"}),
            {"text": INVISIBLE},
            "the text cannot be empty",
        ),
    }


FORMS = [
    "note",
    "note edit",
    "canvas",
    "canvas title",
    "team",
    "segment",
    "segment name",
    "criterion",
    "profile entry",
    "profile entry edit",
    "value-map item",
    "empathy entry",
]


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_text_of_only_invisible_characters_is_refused_as_empty(world, name, headers):
    url, data, message = form_posts(world)[name]
    before = database()
    response = world.client("owner").post(url, data, **headers)
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060\u200d", " \u200c ", "\u0001"])
def test_a_note_of_one_invisible_character_is_refused(world, invisible):
    response = world.client("editor").post(note_create(world), {"text": invisible}, **HTMX)
    assert response.status_code == 422
    assert "a note cannot be empty" in text_of(response)


def test_visible_text_with_a_zero_width_joiner_is_kept(world):
    text = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 trips"
    response = world.client("editor").post(note_create(world), {"text": text}, **HTMX)
    assert response.status_code == 200
    assert Note.objects.filter(text=text).exists()


def test_a_version_name_of_only_invisible_characters_is_refused(world):
    url = reverse("canvases:version-create", args=[world.canvas.pk])
    before = world.canvas.versions.count()
    response = world.client("owner").post(url, {"name": INVISIBLE})
    assert response.status_code == 422
    assert world.canvas.versions.count() == before


def test_a_guest_display_name_of_only_invisible_characters_is_refused(world):
    join = reverse("canvases:workshop-join", args=[world.workshop.join_token])
    before = Guest.objects.count()
    response = world.client("anonymous").post(join, {"display_name": "\u200b\u200b"})
    assert response.status_code == 422
    assert Guest.objects.count() == before
